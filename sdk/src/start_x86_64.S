/* Native entry point: %rsp points at argc. */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	fpp_start_c
	hlt
	.size	_start, .-_start
	.section .note.GNU-stack,"",@progbits
