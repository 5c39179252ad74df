import { useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { staffLogin } from '@/api/staff';
import { toastError } from '@/utils/toast';
import './index.scss';

/** 员工登录: a relationship manager signs in with their bank account to open the workbench. */
export default function StaffLoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    try {
      await staffLogin(username.trim(), password);
      void Taro.redirectTo({ url: '/packages/rm/workbench/index' });
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="staff-login">
      <Text className="staff-login__title">客户经理工作台</Text>
      <Text className="staff-login__meta">仅供本行员工使用，请使用行内账号登录。</Text>
      <View className="staff-login__field">
        <Text className="staff-login__label">账号</Text>
        <Input
          className="staff-login__input"
          value={username}
          onInput={(e) => setUsername(e.detail.value)}
          placeholder="请输入员工账号"
          aria-label="员工账号"
          data-testid="staff-username"
        />
      </View>
      <View className="staff-login__field">
        <Text className="staff-login__label">密码</Text>
        <Input
          className="staff-login__input"
          password
          value={password}
          onInput={(e) => setPassword(e.detail.value)}
          placeholder="请输入密码"
          aria-label="密码"
          data-testid="staff-password"
        />
      </View>
      <Button type="primary" block loading={busy} disabled={busy || !username || !password} onClick={submit} data-testid="staff-login">
        {busy ? '登录中…' : '登录'}
      </Button>
    </View>
  );
}
