/**
 * The device posture report: whether the device is hardened the way a fleet expects and what
 * resources the process's container really has.
 *
 * <p>{@link org.edgesdk.linux.posture.DevicePosture#read(org.edgesdk.api.HostRoot, java.util.Map)}
 * reads, through an injectable root and an injected environment:
 *
 * <ul>
 *   <li>the OS identity ({@link org.edgesdk.linux.posture.OsIdentity},
 *       {@link org.edgesdk.linux.posture.Distribution}), the kernel release and preemption model;
 *   <li>the root file system ({@link org.edgesdk.linux.posture.RootFilesystem});
 *   <li>SELinux, AppArmor, the active LSMs and the lockdown mode
 *       ({@link org.edgesdk.linux.posture.MandatoryAccessControl});
 *   <li>Secure Boot ({@link org.edgesdk.linux.posture.SecureBoot}), the TPM
 *       ({@link org.edgesdk.linux.posture.Tpm}) and FIPS mode;
 *   <li>the container runtime and cgroup v2 or v1 limits ({@link org.edgesdk.linux.posture.Container},
 *       {@link org.edgesdk.linux.posture.CgroupLimits}, {@link org.edgesdk.linux.posture.Limit}, which
 *       keeps "no limit" apart from "unknown");
 * </ul>
 *
 * <p>and turns them into {@link org.edgesdk.linux.posture.Finding}s (pass, warn, fail, unknown) with
 * the evidence and a one-line remedy. A missing or malformed file makes its value unknown with the
 * reason; it never makes the report fail.
 *
 * <p>Unless otherwise stated, null parameter values cause {@link java.lang.NullPointerException}.
 */
@NullMarked
package org.edgesdk.linux.posture;

import org.jspecify.annotations.NullMarked;
