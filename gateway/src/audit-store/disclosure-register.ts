import type { ChainedEntry, ChainedRegister, ChainedRegisters } from './chained-register.js';

/**
 * The legal bases on which a clinic communicates a patient's information without their consent
 * (issue 14), each named from the clinics' policies (../shared/seeds/) and Law 25. A closed list:
 * a disclosure on any other ground is not one the clinic may make, so it cannot be recorded.
 */
export const DISCLOSURE_LEGAL_BASES = {
  // Seed 000 (Clinique Omicron): "where there is reasonable cause to believe that there is a serious risk of
  // death or serious injury to the individual or group as a result of a disappearance or an act of violence,
  // including a suicide attempt, and the nature of the threat inspires a sense of urgency"; seed 003 (OPTMQ):
  // "une situation d'urgence mettant en danger la vie, la santé ou la sécurité de la personne concernée".
  EMERGENCY: 'a serious risk of death or serious injury, with a sense of urgency',
  // Seed 003: "pour se conformer à toute ordonnance d'un tribunal"; seed 001 (Lacroix): "in court proceedings".
  COURT_ORDER: 'an order of a court',
  // Seed 001: "in response to requests from law enforcement authorities"; seed 004 (OPMS): "des organismes
  // d'application de la loi".
  LAW_ENFORCEMENT: 'a request of a law enforcement authority',
  // Seed 000: "to the Director of Criminal and Penal Prosecutions or to a person or group responsible for
  // preventing, detecting or repressing crime or legal offences when the information is necessary for the
  // purposes of a prosecution for an offence under a law applicable in Québec".
  PROSECUTOR: 'a prosecution for an offence under a law applicable in Québec',
  // Seed 000: "to a police force when it is necessary for the planning or execution of an intervention adapted
  // to the characteristics of a person or situation" (at the clinic's request, or in a mixed practice).
  POLICE_INTERVENTION: 'an intervention of a police force with the clinic',
  // Law 25 and the Public Health Act: reports a public health authority is owed (issue 14 names them).
  PUBLIC_HEALTH: 'a report owed to a public health authority',
  // Seed 001: "in cases required by law"; seed 004: "si la loi l'exige".
  REQUIRED_BY_LAW: 'another communication the law requires',
} as const;

export type DisclosureLegalBasis = keyof typeof DISCLOSURE_LEGAL_BASES;
export const DISCLOSURE_LEGAL_BASIS_NAMES = Object.keys(DISCLOSURE_LEGAL_BASES) as DisclosureLegalBasis[];

/** One communication without consent, as the register keeps it (the patient by id: the register exists to name them). */
export interface DisclosureEntry {
  patientId: string;
  recipientName: string;
  recipientOrganisation: string | null;
  legalBasis: DisclosureLegalBasis;
  /** Categories of the patient's record released (the rules file's patient categories). */
  categories: string[];
  purpose: string;
  /** Who released it: the verified viewer's staff id and role. */
  releasedBy: string;
  releasedByRole: string;
  /** When it was recorded (the entry's `at` is when the information was communicated). */
  recordedAt: string;
  emergencyAccessId: string | null;
}

export interface Disclosure extends DisclosureEntry {
  id: string;
  disclosedAt: Date;
}

const toDisclosure = (e: ChainedEntry<DisclosureEntry>): Disclosure => ({ ...e.entry, id: e.id, disclosedAt: e.at });

/** The disclosure register: a hash-chained register of the audit store, verified with the others. */
export class DisclosureRegister {
  private readonly register: ChainedRegister<DisclosureEntry>;

  constructor(registers: ChainedRegisters) {
    this.register = registers.open<DisclosureEntry>('disclosures', 'dis');
  }

  async record(entry: DisclosureEntry, disclosedAt: Date): Promise<Disclosure> {
    return toDisclosure(await this.register.append(entry, { at: disclosedAt, subjectId: entry.patientId }));
  }

  /** Most recently recorded first; communicated in [from, to). */
  async list(options: { patientId?: string; from?: Date; to?: Date; first: number }): Promise<Disclosure[]> {
    const entries = await this.register.list({
      newestFirst: true,
      limit: options.first,
      ...(options.patientId ? { subjectIds: [options.patientId] } : {}),
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
    return entries.map(toDisclosure);
  }

  /** Every disclosure about these patients (one statement for a whole response), most recently recorded first. */
  async ofPatients(patientIds: readonly string[]): Promise<Disclosure[]> {
    return (await this.register.list({ subjectIds: patientIds, newestFirst: true })).map(toDisclosure);
  }
}
