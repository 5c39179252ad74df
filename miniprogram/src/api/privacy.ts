import type { MyPrivacy } from '../../../shared/contracts/privacy';
import { PRIVACY_POLICY_VERSION } from '../../../shared/privacy';
import { applyServerPrivacy } from '../privacy/consent';
import { apiRequest } from './client';

export const getMyPrivacy = () => apiRequest<MyPrivacy>('GET', '/me/privacy');
/** 同意并继续: recorded by the BFF first; the whole app follows its answer. */
export const consentToPrivacy = () => apiRequest<MyPrivacy>('POST', '/me/privacy/consent', { policyVersion: PRIVACY_POLICY_VERSION }).then((mine) => (applyServerPrivacy(mine), mine));
export const requestDataDeletion = () => apiRequest<MyPrivacy>('POST', '/me/privacy/deletion-request').then((mine) => (applyServerPrivacy(mine), mine));
