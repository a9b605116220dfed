package supervise

import "syscall"

// sysProcAttr puts the child in its own process group and has the kernel kill
// it if the stack dies without stopping it, so no service outlives a crash.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
