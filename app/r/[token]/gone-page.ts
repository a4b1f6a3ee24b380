/**
 * The page a browser gets for a link that is used, expired, locked or unknown: plain words, large
 * type, nothing about the patient. Styled through the request's CSP nonce (no other inline style
 * may run).
 */
export function goneOrUnknownPage(status: number, title: string, headers: Headers): string {
  const nonce = (headers.get("x-nonce") ?? "").replace(/[^A-Za-z0-9+/=]/g, "");
  const message =
    status === 410
      ? "This questionnaire link has already been used or has expired."
      : "This questionnaire link is not known. Please check that you opened the whole link.";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} – Questionnaire</title>
<style nonce="${nonce}">
body { font-family: system-ui, sans-serif; font-size: 24px; line-height: 1.5; margin: 0; color: #111; background: #fff; }
main { max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 32px; }
</style>
</head>
<body>
<main>
<h1>This link cannot be used</h1>
<p>${message}</p>
<p>If you still need to answer the questions, please contact your clinic and ask for a new link.</p>
</main>
</body>
</html>`;
}
