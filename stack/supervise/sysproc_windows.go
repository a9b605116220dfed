package supervise

import "syscall"

// sysProcAttr has nothing to add on Windows, which has no process groups in
// this sense; the stack still stops each child itself.
func sysProcAttr() *syscall.SysProcAttr { return nil }
