import type { LicenceInfo } from '../../../shared/contract/models';

interface KnownLicence {
  name: string;
  commercialUse: LicenceInfo['commercialUse'];
  warning?: string;
}

const LLAMA_COMMUNITY =
  'Community licence: commercial use is limited (a separate licence above 700M monthly users) and bound by an acceptable-use policy.';

/** Licence ids as they appear in `general.license` (Hugging Face / SPDX style), lower-cased. */
const KNOWN: Record<string, KnownLicence> = {
  mit: { name: 'MIT', commercialUse: 'allowed' },
  'apache-2.0': { name: 'Apache 2.0', commercialUse: 'allowed' },
  'bsd-2-clause': { name: 'BSD 2-Clause', commercialUse: 'allowed' },
  'bsd-3-clause': { name: 'BSD 3-Clause', commercialUse: 'allowed' },
  'cc-by-4.0': { name: 'CC BY 4.0', commercialUse: 'allowed' },
  'cc-by-sa-4.0': { name: 'CC BY-SA 4.0', commercialUse: 'allowed' },
  'cc0-1.0': { name: 'CC0 1.0', commercialUse: 'allowed' },
  'gpl-3.0': { name: 'GPL 3.0', commercialUse: 'allowed' },
  openrail: { name: 'OpenRAIL', commercialUse: 'allowed', warning: 'OpenRAIL allows commercial use but forbids the listed harmful uses.' },
  'openrail++': { name: 'OpenRAIL++', commercialUse: 'allowed', warning: 'OpenRAIL allows commercial use but forbids the listed harmful uses.' },
  llama2: { name: 'Llama 2 Community Licence', commercialUse: 'restricted', warning: LLAMA_COMMUNITY },
  llama3: { name: 'Llama 3 Community Licence', commercialUse: 'restricted', warning: LLAMA_COMMUNITY },
  'llama3.1': { name: 'Llama 3.1 Community Licence', commercialUse: 'restricted', warning: LLAMA_COMMUNITY },
  'llama3.2': { name: 'Llama 3.2 Community Licence', commercialUse: 'restricted', warning: LLAMA_COMMUNITY },
  'llama3.3': { name: 'Llama 3.3 Community Licence', commercialUse: 'restricted', warning: LLAMA_COMMUNITY },
  gemma: {
    name: 'Gemma Terms of Use',
    commercialUse: 'restricted',
    warning: 'Gemma terms: commercial use allowed, but bound by a prohibited-use policy that passes on to derivatives.',
  },
  qwen: { name: 'Qwen Licence', commercialUse: 'restricted', warning: 'Qwen licence: a separate licence is needed above 100M monthly users.' },
  'qwen-research': { name: 'Qwen Research Licence', commercialUse: 'restricted', warning: 'Research use only: no commercial use.' },
  'cc-by-nc-4.0': { name: 'CC BY-NC 4.0', commercialUse: 'restricted', warning: 'Non-commercial use only.' },
  'cc-by-nc-sa-4.0': { name: 'CC BY-NC-SA 4.0', commercialUse: 'restricted', warning: 'Non-commercial use only.' },
  'cc-by-nc-nd-4.0': { name: 'CC BY-NC-ND 4.0', commercialUse: 'restricted', warning: 'Non-commercial use only.' },
};

const NON_COMMERCIAL = /non[-\s_]?commercial|\bnc\b|-nc-|research[-\s_]?only|research licen[cs]e|academic/i;

/** What `general.license` means for someone who wants to use the model, with a warning where it restricts use. */
export function describeLicence(id: string | null | undefined, name?: string | null): LicenceInfo {
  const raw = id?.trim() || null;
  if (!raw) {
    return {
      id: null,
      name: name ?? null,
      commercialUse: 'unknown',
      warning: 'This file names no licence. Check the model card before using it, especially commercially.',
    };
  }
  const known = KNOWN[raw.toLowerCase()];
  if (known) return { id: raw, name: known.name, commercialUse: known.commercialUse, warning: known.warning ?? null };
  if (NON_COMMERCIAL.test(raw) || (name && NON_COMMERCIAL.test(name))) {
    return { id: raw, name: name ?? raw, commercialUse: 'restricted', warning: 'This licence appears to forbid commercial use.' };
  }
  return {
    id: raw,
    name: name ?? raw,
    commercialUse: 'unknown',
    warning: `Licence "${raw}" is not one Parity knows. Read its terms before commercial use.`,
  };
}
