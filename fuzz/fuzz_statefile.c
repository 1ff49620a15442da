/* State-file decode on arbitrary bytes; anything accepted must re-encode to the same length and be a
 * fixed point of decode∘encode (the only normalisation is a thread's exited byte to 0/1). */
#include <stdlib.h>
#include <string.h>

#include "fpkit/mips64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fpvm_mips64_state *s = NULL;
  if (fpvm_mips64_state_decode(&s, data, size, "fuzz.bin") != FPK_OK) return 0;
  uint8_t *a = NULL, *b = NULL;
  size_t al = 0, bl = 0;
  if (fpvm_mips64_state_encode(s, &a, &al) != FPK_OK || al != size) abort();
  fpvm_mips64_state *d = NULL;
  if (fpvm_mips64_state_decode(&d, a, al, "re.bin") != FPK_OK) abort();
  if (fpvm_mips64_state_encode(d, &b, &bl) != FPK_OK || bl != al || memcmp(a, b, al) != 0) abort();
  uint8_t w1[FPVM_MIPS64_WITNESS_SIZE], w2[FPVM_MIPS64_WITNESS_SIZE];
  fpvm_mips64_state_witness(s, w1);
  fpvm_mips64_state_witness(d, w2);
  if (memcmp(w1, w2, sizeof w1) != 0) abort();
  uint8_t tw[FPVM_MIPS64_THREAD_SIZE + 32];
  (void)fpvm_mips64_thread_witness(s, tw);
  free(a);
  free(b);
  fpvm_mips64_state_destroy(s);
  fpvm_mips64_state_destroy(d);
  return 0;
}
