/**
 * A form's submit button, disabled and relabelled while its request runs, followed by Cancel.
 */
export function SubmitCancel({
  label,
  pendingLabel,
  pending,
  variant,
  onCancel,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  variant: "primary" | "danger";
  onCancel: () => void;
}) {
  return (
    <>
      <button type="submit" className={`btn btn-${variant}`} disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </>
  );
}
