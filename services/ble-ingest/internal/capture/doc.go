// Package capture reads recorded BLE traffic — btsnoop HCI logs (Android, BlueZ
// btmon) and pcap/pcapng files with the Bluetooth link types 201, 251, 256 and 272 —
// and yields the advertisements in it, counting what it skips (bad CRC, other
// packets, malformed content). It also writes btsnoop files, so the simulator can
// produce fixtures, and paces a replay at recorded speed, a multiple, or flat out.
package capture
