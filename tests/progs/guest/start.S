/* Process entry for the freestanding test guests (cannon.md §6 stack layout:
 * sp+0 argc, sp+8 argv[0..argc-1], NULL, envp..., NULL, auxv).
 * Kept to MIPS64r1 instructions; the C side does the rest. */
	.text
	.set	noreorder
	.globl	_start
	.globl	__start
	.type	_start, @function
_start:
__start:
	/* $gp for any gp-relative data the compiler may emit; harmless otherwise. */
	lui	$gp, %highest(_gp)
	daddiu	$gp, $gp, %higher(_gp)
	dsll	$gp, $gp, 16
	daddiu	$gp, $gp, %hi(_gp)
	dsll	$gp, $gp, 16
	daddiu	$gp, $gp, %lo(_gp)
	ld	$a0, 0($sp)		/* argc */
	daddiu	$a1, $sp, 8		/* argv */
	dsll	$t0, $a0, 3
	daddu	$a2, $a1, $t0
	daddiu	$a2, $a2, 8		/* envp = argv + argc + 1 */
	li	$t0, -16
	and	$sp, $sp, $t0
	daddiu	$sp, $sp, -32
	jal	rt_start
	nop
1:	b	1b			/* rt_start never returns */
	nop
	.size	_start, .-_start

/* long rt_clone(unsigned long flags, void *stack_top, long (*fn)(void *), void *arg)
 * The child starts on stack_top with no frame, so fn/arg travel on that stack: both Linux and
 * Cannon hand the child the new $sp, but only Cannon also copies every other register. */
	.globl	rt_clone
	.type	rt_clone, @function
rt_clone:
	li	$t0, -16
	and	$a1, $a1, $t0
	daddiu	$a1, $a1, -32
	sd	$a2, 0($a1)
	sd	$a3, 8($a1)
	move	$a2, $zero
	move	$a3, $zero
	move	$a4, $zero
	li	$v0, 5055
	syscall
	bnez	$a3, 2f
	nop
	beqz	$v0, 3f
	nop
	jr	$ra			/* parent: child tid */
	nop
2:	jr	$ra			/* error: -errno */
	dsubu	$v0, $zero, $v0
3:	ld	$t9, 0($sp)		/* child */
	ld	$a0, 8($sp)
	jalr	$t9
	nop
	move	$a0, $v0
	li	$v0, 5058		/* exit (this thread only) */
	syscall
4:	b	4b
	nop
	.size	rt_clone, .-rt_clone
