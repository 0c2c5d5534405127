/**
 * The privacy reviewer's table for issue 14: each obligation of the clinics' policies (the seeds),
 * the passage that makes it, the feature that meets it, and the test that shows it. The file
 * docs/records-obligations.md is rendered from this list, and test/platform/records-obligations.test.ts
 * checks that the rendering is current, that every feature file holds the named symbol and every
 * test file the named test, and (where the seeds are present) that every quote is verbatim.
 */
export interface Obligation {
  obligation: string;
  seed: string;
  quote: string;
  feature: { file: string; symbol: string };
  test: { file: string; name: string };
}

export const SEED_002 = '002_33ba8331c2006a75.txt';
export const SEED_000 = '000_0f1773a27126f783.txt';

export const RECORD_OBLIGATIONS: readonly Obligation[] = [
  {
    obligation: 'A record is active while its last entry is less than 5 years old; every write keeps it current',
    seed: SEED_002,
    quote: 'The medical file is considered active when the last registration is less than 5 years old.',
    feature: { file: 'services/patient/src/record-parts.ts', symbol: 'touchRecord' },
    test: { file: 'services/patient/src/retention-rules.test.ts', name: 'keeps active records whole by default' },
  },
  {
    obligation: 'An active record keeps its old parts by default (purging is a clinic setting, off)',
    seed: SEED_002,
    quote: 'There is no obligation to purge an active file or destroy an inactive one.',
    feature: { file: 'services/patient/src/retention-settings.ts', symbol: 'purgeActiveRecordParts: false' },
    test: { file: 'test/patient-rights/retention.int.test.ts', name: 'an active record keeps its old documents by default' },
  },
  {
    obligation: 'Protected reports are never destroyed; the list is extendable (CMPA, insurer)',
    seed: SEED_002,
    quote: 'Any other document identified by the Canadian Medical Protective Association (CMPA) or the private insurer.',
    feature: { file: 'services/patient/src/retention-settings.ts', symbol: 'CMPA_OR_INSURER_DOCUMENT_KINDS' },
    test: { file: 'services/patient/src/retention-rules.test.ts', name: 'extends the protected kinds (CMPA or insurer)' },
  },
  {
    obligation: 'A clinic that keeps records for the whole relationship turns destruction of inactive records off',
    seed: SEED_000,
    quote: 'As long as the doctor-patient relationship lasts, according to the rules set out in the Act and by the Collège des médecins du Québec.',
    feature: { file: 'services/patient/src/retention-settings.ts', symbol: 'destroyInactiveRecordParts' },
    test: { file: 'services/patient/src/retention-rules.test.ts', name: 'follows the clinic: purging active records, keeping inactive ones' },
  },
  {
    obligation: 'A patient may ask for the destruction of a record inactive for 5 years; protected reports are kept',
    seed: SEED_002,
    quote: 'If you would like us to destroy your medical file after 5 years of inactivity, please contact us via our contact form.',
    feature: { file: 'services/patient/src/record-requests.ts', symbol: 'decideRequest' },
    test: { file: 'test/patient-rights/records-on-the-legal-clock.int.test.ts', name: "destroys an inactive record on the patient's accepted request" },
  },
  {
    obligation: 'Destruction is secure: unrecoverable from the database files',
    seed: SEED_002,
    quote: 'After this period, your personal information will be automatically destroyed in a secure manner or anonymized.',
    feature: { file: 'services/patient/src/secure-destruction.ts', symbol: 'releaseDestroyedPages' },
    test: { file: 'test/patient-rights/secure-destruction.int.test.ts', name: 'leaves no copy of a destroyed note in the SQLite files' },
  },
  {
    obligation: 'Requests for access and rectification are answered in writing, on the legal clock (30 days, Law 25 s. 32)',
    seed: SEED_002,
    quote: 'Patients have the right to access their personal information and request corrections if necessary.',
    feature: { file: 'services/patient/src/record-requests.ts', symbol: 'dueDateOf' },
    test: { file: 'test/patient-rights/records-on-the-legal-clock.int.test.ts', name: 'puts every request on the 30-day clock' },
  },
  {
    obligation: "A refusal tells the patient they may apply to the Commission d'accès à l'information",
    seed: SEED_000,
    quote: "to file a complaint with the Commission de l'accès à l'information du Québec if you believe that a breach of privacy legislation has occurred",
    feature: { file: 'services/patient/src/record-requests.ts', symbol: 'APPEAL_NOTICE' },
    test: { file: 'test/patient-rights/records-on-the-legal-clock.int.test.ts', name: 'refuses at once, with the reason and the right to a review' },
  },
  {
    obligation: 'Requests made in writing are filed by the privacy officer for the patient, recorded as received on paper (rectifications and restrictions included)',
    seed: SEED_002,
    quote: 'Requests for access must be submitted in writing to the Privacy Officer.',
    feature: { file: 'services/patient/src/record-requests.ts', symbol: 'fileRectificationOnPaper' },
    test: { file: 'test/patient-rights/restriction-requests.int.test.ts', name: 'files a rectification received on paper, recorded with channel PAPER' },
  },
  {
    obligation: 'An accepted withdrawal of consent turns the patient’s communication consent off; every accepted request does what it means or says it only records the decision',
    seed: SEED_000,
    quote: 'You have the right to withdraw your consent to the disclosure or use of your personal information.',
    feature: { file: 'services/patient/src/record-requests.ts', symbol: 'ACCEPTED_OUTCOME' },
    test: { file: 'test/patient-rights/restriction-requests.int.test.ts', name: 'does what an accepted request means: consent withdrawal turns consent off' },
  },
  {
    obligation: "After employment ends, a former employee's record is read by HR only, with two-factor authentication; others keep only what names an author in a patient's record",
    seed: SEED_002,
    quote: 'Employee information is archived on company-wide platforms and remains accessible only to human resources staff. All this data is kept in files protected by limited access and double authentication.',
    feature: { file: 'gateway/src/permissions.ts', symbol: 'FORMER_EMPLOYEES' },
    test: { file: 'test/access/employee-record.int.test.ts', name: "names a former employee in a patient's record, and refuses the rest of theirs" },
  },
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderObligationsTable(): string {
  const rows = RECORD_OBLIGATIONS.map(
    (o) => `| ${cell(o.obligation)} | ${o.seed}: “${cell(o.quote)}” | \`${o.feature.file}\` (\`${cell(o.feature.symbol)}\`) | \`${o.test.file}\`: ${cell(o.test.name)} |`,
  );
  return [
    '# Records: obligation → seed quote → feature → test',
    '',
    'Generated from `scripts/lib/records-obligations.ts` (`npm run docs:obligations`); `test/platform/records-obligations.test.ts` fails when this file, a feature or a test drifts.',
    '',
    '| Obligation | Seed quote | Feature | Test |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
