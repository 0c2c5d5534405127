/**
 * How `Patient._accessFacts` answers (the patient subgraph writes it, the gateway reads it): the
 * JSON of the reader's facts toward the patient, or this empty text for the usual case, a patient
 * who exists and toward whom the reader has no duty and no restriction. A list of a hundred such
 * patients then carries no facts at all, instead of a hundred copies of the same empty ones.
 */
export const NO_DUTY_NO_RESTRICTION = '';
