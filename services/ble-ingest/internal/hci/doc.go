// Package hci maps HCI LE Advertising Report events (LE Meta subevent 0x02, Core
// Spec Vol 4 Part E 7.7.65.2) and LE Extended Advertising Report events (subevent
// 0x0D, 7.7.65.13) to advertisements, and encodes advertisements back into such
// events so captures can be written. It works on event bytes only; whatever
// delivers them (a controller socket, a btsnoop file) is someone else's concern.
package hci
