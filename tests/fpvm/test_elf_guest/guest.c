/* MIPS64 guest for the ELF-loading tests: a data word, a bss array and an exit_group syscall. Built
 * with the cross compiler only (tests/fpvm/extra.cmake). */
volatile unsigned long fpk_counter = 0x1122334455667788ul;
unsigned long fpk_bss[600]; /* > one page of zero-filled memory */

void _start(void) {
  fpk_counter += 1;
  fpk_bss[599] = fpk_counter;
  register long v0 __asm__("$2") = 5205; /* exit_group */
  register long a0 __asm__("$4") = 0;
  __asm__ volatile("syscall" : : "r"(v0), "r"(a0) : "memory");
  for (;;) {
  }
}
