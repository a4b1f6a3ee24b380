import { StatusPage } from "./status-page";

export default function NotFound() {
  return (
    <StatusPage title="Not found">
      There is nothing here, or it belongs to a site you do not work at.
    </StatusPage>
  );
}
