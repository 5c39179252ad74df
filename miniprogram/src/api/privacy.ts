import { PRIVACY_POLICY_VERSION } from '@shared/privacy';
import { applyServerPrivacy } from '../privacy/consent';
import { call } from './client';

export const getMyPrivacy = () => call('getMyPrivacy');
/** 同意并继续: recorded by the BFF first; the whole app follows its answer. */
export const consentToPrivacy = () => call('consentToPrivacyPolicy', { body: { policyVersion: PRIVACY_POLICY_VERSION } }).then((mine) => (applyServerPrivacy(mine), mine));
export const requestDataDeletion = () => call('requestMyDataDeletion').then((mine) => (applyServerPrivacy(mine), mine));
