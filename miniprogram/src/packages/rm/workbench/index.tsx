import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { hasStaffSession, staffLogout } from '@/api/staff';
import { usePullToRefresh } from '@/hooks/usePullToRefresh';
import { Figures } from './customers';
import { WORKBENCH_TABS } from './tabs';
import './index.scss';

/** 客户经理工作台: my figures, the customers I look after (masked) and how each came, and my poster. */
export default function WorkbenchPage() {
  const [tab, setTab] = useState(WORKBENCH_TABS[0].key);
  const [key, setKey] = useState(0);
  useDidShow(() => {
    if (!hasStaffSession()) void Taro.redirectTo({ url: '/packages/rm/login/index' });
  });
  usePullToRefresh(() => setKey((k) => k + 1));
  if (!hasStaffSession()) return <View className="bench" />;
  return (
    <View className="bench" key={key}>
      <Figures />
      <View className="bench__tabs" role="tablist">
        {WORKBENCH_TABS.map((t) => (
          <View
            key={t.key}
            role="tab"
            aria-selected={tab === t.key}
            className={`bench__tab ${tab === t.key ? 'bench__tab--on' : ''}`}
            onClick={() => setTab(t.key)}
            data-testid={`bench-tab-${t.key}`}
          >
            {t.label}
          </View>
        ))}
      </View>
      {(WORKBENCH_TABS.find((t) => t.key === tab) ?? WORKBENCH_TABS[0]).render({ open: setTab })}
      <Text
        className="bench__logout"
        onClick={() => {
          staffLogout();
          void Taro.redirectTo({ url: '/packages/rm/login/index' });
        }}
      >
        退出员工登录
      </Text>
    </View>
  );
}
