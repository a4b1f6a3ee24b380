import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export interface ShellUser {
  name: string;
  email: string;
  roleLabel: string;
}

/** Header with brand, the role's navigation, the user and sign-out; then the page. */
export function AppShell({
  user,
  nav,
  children,
}: {
  user: ShellUser;
  nav: { href: string; label: string }[];
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <Link href="/" className="brand">
          <svg
            className="brand-mark"
            width="22"
            height="22"
            viewBox="0 0 24 24"
            aria-hidden="true"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <circle cx="8" cy="9" r="5" />
            <path d="M13 15h8M17 11v8" />
          </svg>
          Bone–Brain Care
        </Link>
        <NavLinks items={nav} />
        <div className="shell-user">
          <span>
            <strong>{user.name}</strong> <span className="role">· {user.roleLabel}</span>
          </span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="shell-main">
        {children}
      </main>
    </>
  );
}
