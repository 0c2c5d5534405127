import type { ReactNode } from 'react';
import { refusalAt, problems, type ApiError } from '../api/client';
import { refusalText } from '../api/refusals';
import { useSession } from '../session/session';

/**
 * A field as the gateway answered it: its value, or, when refused, what the refusal means
 * (never a blank or a broken page). `path` is the field's path in the response.
 */
export function Guarded(props: { errors: readonly ApiError[]; path: readonly (string | number)[]; children: ReactNode; empty?: string }) {
  const reason = refusalAt(props.errors, props.path);
  if (reason) {
    return (
      <span className="refusal" data-refusal={reason}>
        {refusalText(reason)}
      </span>
    );
  }
  if (props.children === null || props.children === undefined || props.children === '') return <span className="empty">{props.empty ?? '—'}</span>;
  return <>{props.children}</>;
}

/**
 * Errors that are not field refusals (bad input, unavailable service), and a whole request refused
 * (a root field), said as what the refusal means; announced to screen readers.
 */
export function Problems(props: { errors: readonly ApiError[] }) {
  const refusedRoots = props.errors.filter((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.length === 1);
  const list = problems(props.errors);
  if (list.length === 0 && refusedRoots.length === 0) return null;
  return (
    <div role="alert" className="problems">
      {refusedRoots.map((e, i) => (
        <p key={`r${i}`} data-refusal={e.extensions?.reason}>
          Refused: {refusalText(e.extensions?.reason ?? 'ROLE')}.
        </p>
      ))}
      {list.map((e, i) => (
        <p key={i}>{e.message}</p>
      ))}
    </div>
  );
}

/** A note that a part needs two-factor sign-in, with the step-up. */
export function NeedsMfa(props: { what: string }) {
  const session = useSession();
  return (
    <div className="step-up" role="note">
      <p>
        {props.what} <strong>needs two-factor sign-in</strong>.
      </p>
      <button type="button" onClick={() => void session.stepUpToMfa()}>
        Sign in again with two-factor authentication
      </button>
    </div>
  );
}

export function Status(props: { children: ReactNode }) {
  return (
    <p role="status" className="status">
      {props.children}
    </p>
  );
}

export { when } from './clinic-time';
export const fullName = (p: { firstName?: string | null; lastName?: string | null } | null | undefined) => [p?.firstName, p?.lastName].filter(Boolean).join(' ');
