/* Entry point for the VM (and qemu-mips64): $sp points at argc (cannon.md §6 PatchStack).
 * No $gp set-up: everything is built with -G0 -mno-abicalls, so nothing is $gp-relative. */
	.text
	.globl	_start
	.type	_start, @function
	.ent	_start
_start:
	move	$4, $29          /* a0 = initial sp (argc, argv, envp, auxv) */
	li	$8, -16
	and	$29, $29, $8     /* keep the ABI's 16-byte stack alignment */
	daddiu	$29, $29, -16
	move	$31, $0
	jal	fpp_start_c
1:	b	1b               /* fpp_start_c never returns */
	.end	_start
	.size	_start, .-_start
