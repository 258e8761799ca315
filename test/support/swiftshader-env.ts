/**
 * Jest's global setup: Dawn finds SwiftShader (Chromium's CPU Vulkan driver, from Debian's
 * `chromium` package) through this variable, which must be in the real environment before Dawn
 * loads, and which every trainer process a test starts inherits.
 */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export default function setUpSwiftShader(): void {
  process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
}
