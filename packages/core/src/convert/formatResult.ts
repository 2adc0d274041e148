/** What a format writer reports: nodes it rewrote, and quantized nodes it left in QDQ form with why. */

/** A node rewritten to another format: its name, former op type and new op type (`as`). */
export interface ConvertedNode {
  name: string;
  opType: string;
  as: string;
}

/** A quantized node left in QDQ form, and why. */
export interface KeptNode {
  name: string;
  opType: string;
  reason: string;
}

/** What a format writer did. */
export interface FormatResult {
  converted: ConvertedNode[];
  kept: KeptNode[];
}
