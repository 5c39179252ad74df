import { z } from 'zod';
import { chineseIssueMessage } from '@shared/zod-messages';

// Field errors reach bank staff and customers: in Chinese, saying what to type (the console says the same).
z.config({ ...z.locales.zhCN(), customError: chineseIssueMessage });
