import { StatusPage } from "../status-page";

export default function ForbiddenPage() {
  return (
    <StatusPage title="This page is not part of your role">
      Your account does not have permission to open that page. If you need it, ask an administrator.
    </StatusPage>
  );
}
