import type { MyPrivacy } from '../../../shared/contracts/privacy';
import { PRIVACY_POLICY_VERSION } from '../../../shared/privacy';
import { apiRequest } from './client';

export const getMyPrivacy = () => apiRequest<MyPrivacy>('GET', '/me/privacy');
export const consentToPrivacy = () => apiRequest<MyPrivacy>('POST', '/me/privacy/consent', { policyVersion: PRIVACY_POLICY_VERSION });
export const requestDataDeletion = () => apiRequest<MyPrivacy>('POST', '/me/privacy/deletion-request');
