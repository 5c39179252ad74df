import { activitiesApi } from '../contracts/activities';
import { analyticsApi } from '../contracts/analytics';
import { auditApi } from '../contracts/audit';
import { authApi } from '../contracts/auth';
import { checkinApi } from '../contracts/checkin';
import { metaApi } from '../contracts/common';
import { contentLibraryApi } from '../contracts/content-library';
import { conversionsApi } from '../contracts/conversions';
import { couponsApi } from '../contracts/coupons';
import { customerServiceApi } from '../contracts/customer-service';
import { customersApi } from '../contracts/customers';
import { deliveryApi } from '../contracts/delivery';
import { drawsApi } from '../contracts/draws';
import { jobsApi } from '../contracts/jobs';
import { leadsApi } from '../contracts/leads';
import { lifeApi } from '../contracts/life';
import { livestreamsApi } from '../contracts/livestreams';
import { marketingTasksApi } from '../contracts/marketing-tasks';
import { mallApi } from '../contracts/mall';
import { mediaApi } from '../contracts/media';
import { pointsApi } from '../contracts/points';
import { privacyApi } from '../contracts/privacy';
import { programmeApi } from '../contracts/programme';
import { quizApi } from '../contracts/quiz';
import { referralsApi } from '../contracts/referrals';
import { rewardsApi } from '../contracts/rewards';
import { staffApi } from '../contracts/staff';
import { targetingApi } from '../contracts/targeting';
import { tasksApi } from '../contracts/tasks';
import { trackingApi } from '../contracts/tracking';
import { triggersApi } from '../contracts/triggers';

/**
 * Every operation the BFF serves under /api/v1, one object. The BFF checks it serves exactly
 * these; the mini-program and the console import only its type (and the generated
 * `operations.ts`), so none of the schemas reach their bundles.
 */
export const API = {
  ...activitiesApi,
  ...analyticsApi,
  ...auditApi,
  ...authApi,
  ...checkinApi,
  ...metaApi,
  ...contentLibraryApi,
  ...conversionsApi,
  ...couponsApi,
  ...customerServiceApi,
  ...customersApi,
  ...deliveryApi,
  ...drawsApi,
  ...jobsApi,
  ...leadsApi,
  ...lifeApi,
  ...livestreamsApi,
  ...marketingTasksApi,
  ...mallApi,
  ...mediaApi,
  ...pointsApi,
  ...privacyApi,
  ...programmeApi,
  ...quizApi,
  ...referralsApi,
  ...rewardsApi,
  ...staffApi,
  ...targetingApi,
  ...tasksApi,
  ...trackingApi,
  ...triggersApi,
};
