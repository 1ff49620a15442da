#ifndef FPKIT_HEX_H
#define FPKIT_HEX_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
/* Lowercase hex of n bytes into out (2n chars + NUL). */
void fpk_hex_encode(char *out, const uint8_t *in, size_t n);
/* Decode hex (optional 0x prefix, even length, either case) into out (cap bytes).
 * Returns the number of bytes, or a negative FPK_E* code. */
long fpk_hex_decode(uint8_t *out, size_t cap, const char *in, size_t inlen);
#ifdef __cplusplus
}
#endif
#endif
