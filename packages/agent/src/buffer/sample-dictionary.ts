/** The preset deflate dictionary of buffer records (format tag 1): a sample's keys and common values, frozen for ever. */

/**
 * Common device, interface and sensor names, then every key of a batch sample with typical values
 * (zlib matches the end of a dictionary most cheaply, so the keys every record repeats come last):
 * a lone 1.1 KB sample of a 4-core machine deflates to ~300 bytes instead of ~580 with deflate
 * alone, and a day at 1 Hz fits the 64 MiB buffer with room to spare. Records on disk depend on these exact bytes: never edit
 * this string; a better dictionary gets a new record tag (see record-format.ts) and a new constant.
 */
const TEXT =
  '"/dev/sda1","/dev/vda1","/dev/nvme0n1p1","/dev/mapper/","/boot","/boot/efi","/home","/var","xfs","btrfs","vfat","zfs",' +
  '"ens3","enp0s3","wlan0","docker0","coretemp Core 0","k10temp Tctl","acpitz temp1","nvme Composite",' +
  '{"device":"/dev/sda1","mountpoint":"/","fstype":"ext4","total":,"used":,"free":,"used_percent":},' +
  '{"name":"eth0","bytes_sent":,"bytes_recv":,"packets_sent":,"packets_recv":,"errin":0,"errout":0,"dropin":0,"dropout":0}' +
  '{"label":"coretemp Package id 0","celsius":}' +
  '{"seq":,"timestamp":17,"cpu":{"usage_percent":,"per_core_usage":[],"per_core_freq_mhz":[],"freq_mhz":{"current":,"min":,"max":},' +
  '"load_avg":[],"user_percent":,"system_percent":,"iowait_percent":,"steal_percent":0,"count":,"count_logical":},' +
  '"memory":{"total":,"available":,"used":,"used_percent":,"swap_total":,"swap_used":},' +
  '"disks":[{"device":"/dev/","mountpoint":"/","fstype":"ext4","total":,"used":,"free":,"used_percent":}],' +
  '"disk_io":{"read_bytes":,"write_bytes":,"read_ops":,"write_ops":},' +
  '"network":{"interfaces":[{"name":"eth0","bytes_sent":,"bytes_recv":,"packets_sent":,"packets_recv":,"errin":0,"errout":0,"dropin":0,"dropout":0}]},' +
  '"temperatures":[{"label":"","celsius":}],"uptime_s":}';

export const SAMPLE_DICTIONARY_V1: Buffer = Buffer.from(TEXT, "utf8");
