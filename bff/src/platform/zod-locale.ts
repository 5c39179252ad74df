import { z } from 'zod';

// Field errors reach bank staff and customers: the schemas' built-in messages in Chinese, as the console shows them.
z.config(z.locales.zhCN());
