using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Runtime;

/// <summary>Whether a device runs bfloat16 matrix products fast, with the evidence for a log line.</summary>
/// <param name="IsFast">True when bfloat16 is expected to beat float32 several times over.</param>
/// <param name="Evidence">What was found, e.g. "the CPU (AMD EPYC) has avx512_bf16".</param>
/// <remarks>
/// CPUs: libtorch's bfloat16 matrix products (oneDNN) use AVX512_BF16 or AMX-BF16 instructions where the CPU has
/// them and emulate them otherwise, which is slower than float32. On Linux the flags come from
/// <c>/proc/cpuinfo</c> (the kernel lists only what it enables, inside virtual machines too). Elsewhere on x86-64
/// (Windows, Intel macOS) they come from CPUID: leaf 7 sub-leaf 1 EAX bit 5 (AVX512_BF16) and leaf 7 EDX bit 22
/// (AMX-BF16), and only count when the operating system saves the AVX-512 registers (<see cref="Avx512F.IsSupported"/>;
/// .NET has no intrinsic class for either extension). Arm64 CPUs are reported as not fast: libtorch runs bfloat16
/// there but its speed is not measured.
/// CUDA: compute capability 8.0 (Ampere) and later have bfloat16 tensor cores. TorchSharp 0.107 does not expose the
/// capability, so it is read from the CUDA driver (<c>cuDeviceGetAttribute</c> in libcuda.so.1 / nvcuda.dll); when the
/// driver cannot be asked, bfloat16 is reported as not fast.
/// </remarks>
public sealed record BFloat16Support(bool IsFast, string Evidence)
{
    private static readonly Lazy<BFloat16Support> Cpu = new(ProbeCpu);

    /// <summary>What <paramref name="device"/> offers; the CPU's answer is worked out once a process.</summary>
    public static BFloat16Support Probe(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type switch
        {
            DeviceType.CPU => Cpu.Value,
            DeviceType.CUDA => ProbeCuda(device.index < 0 ? 0 : device.index),
            _ => new BFloat16Support(false, $"no bfloat16 detection for {device.type} devices"),
        };
    }

    /// <summary>Reads the CPU model and flags from the text of Linux's <c>/proc/cpuinfo</c> (its first processor).</summary>
    public static BFloat16Support FromCpuInfo(string cpuInfo)
    {
        ArgumentNullException.ThrowIfNull(cpuInfo);
        string? model = null;
        string[]? flags = null;
        foreach (var line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            if (model is null && key == "model name") model = line[(colon + 1)..].Trim();
            if (flags is null && key is "flags" or "Features") flags = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (model is not null && flags is not null) break;
        }
        if (flags is null) return new BFloat16Support(false, "the CPU flags could not be read from /proc/cpuinfo");
        return FromFlags(model, flags.Contains("avx512_bf16"), flags.Contains("amx_bf16"));
    }

    /// <summary>The verdict for a CUDA device of compute capability <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public static BFloat16Support FromCudaCapability(int major, int minor) => major >= 8
        ? new BFloat16Support(true, $"the GPU has compute capability {major}.{minor} (bfloat16 tensor cores from 8.0)")
        : new BFloat16Support(false, $"the GPU has compute capability {major}.{minor}; bfloat16 tensor cores need 8.0 or later");

    private static BFloat16Support FromFlags(string? model, bool avx512Bf16, bool amxBf16)
    {
        var cpu = string.IsNullOrWhiteSpace(model) ? "the CPU" : $"the CPU ({model})";
        var found = new[] { avx512Bf16 ? "avx512_bf16" : null, amxBf16 ? "amx_bf16" : null }.OfType<string>().ToArray();
        return found.Length > 0
            ? new BFloat16Support(true, $"{cpu} has {string.Join(" and ", found)}")
            : new BFloat16Support(false, $"{cpu} has neither avx512_bf16 nor amx_bf16");
    }

    private static BFloat16Support ProbeCpu()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return FromCpuInfo(File.ReadAllText("/proc/cpuinfo"));
            }
            catch (IOException)
            {
                // fall through to CPUID
            }
            catch (UnauthorizedAccessException)
            {
                // fall through to CPUID
            }
        }
        if (!X86Base.IsSupported)
            return new BFloat16Support(false, $"the CPU is {RuntimeInformation.ProcessArchitecture}; bfloat16 speed is only detected on x86-64");
        int maxLeaf = X86Base.CpuId(0, 0).Eax;
        bool avx512Bf16 = false, amxBf16 = false;
        if (maxLeaf >= 7 && Avx512F.IsSupported)   // the OS saves the AVX-512 state
        {
            var leaf7 = X86Base.CpuId(7, 0);
            amxBf16 = (leaf7.Edx & (1 << 22)) != 0;
            avx512Bf16 = leaf7.Eax >= 1 && (X86Base.CpuId(7, 1).Eax & (1 << 5)) != 0;
        }
        return FromFlags(CpuBrand(), avx512Bf16, amxBf16);
    }

    /// <summary>The processor brand string from CPUID leaves 0x80000002–4, or null.</summary>
    private static string? CpuBrand()
    {
        if ((uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax < 0x80000004) return null;
        var bytes = new List<byte>(48);
        for (int leaf = 0; leaf < 3; leaf++)
        {
            var (a, b, c, d) = X86Base.CpuId(unchecked((int)0x80000002) + leaf, 0);
            foreach (var register in new[] { a, b, c, d }) bytes.AddRange(BitConverter.GetBytes(register));
        }
        return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\0').Trim();
    }

    private static BFloat16Support ProbeCuda(int ordinal) => CudaDriver.TryGetComputeCapability(ordinal, out int major, out int minor, out string failure)
        ? FromCudaCapability(major, minor)
        : new BFloat16Support(false, $"the compute capability of cuda:{ordinal} is unknown ({failure})");

    /// <summary>
    /// The three CUDA driver calls that give a device's compute capability (stable since CUDA 2.0): cuInit,
    /// cuDeviceGet, cuDeviceGetAttribute with CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR (75) and _MINOR (76).
    /// Driver ordinals follow CUDA_VISIBLE_DEVICES as libtorch's do.
    /// </summary>
    private static class CudaDriver
    {
        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        private delegate int CuInit(uint flags);

        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        private delegate int CuDeviceGet(out int device, int ordinal);

        [UnmanagedFunctionPointer(CallingConvention.Winapi)]
        private delegate int CuDeviceGetAttribute(out int value, int attribute, int device);

        public static bool TryGetComputeCapability(int ordinal, out int major, out int minor, out string failure)
        {
            major = minor = 0;
            string library = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                failure = $"{library} could not be loaded";
                return false;
            }
            try   // the handle is not freed: libtorch's CUDA backend holds the same driver
            {
                var init = Function<CuInit>(handle, "cuInit");
                var get = Function<CuDeviceGet>(handle, "cuDeviceGet");
                var attribute = Function<CuDeviceGetAttribute>(handle, "cuDeviceGetAttribute");
                int device = 0;
                int status = init(0);
                if (status == 0) status = get(out device, ordinal);
                if (status == 0) status = attribute(out major, 75, device);
                if (status == 0) status = attribute(out minor, 76, device);
                failure = status == 0 ? "" : $"the CUDA driver answered error {status}";
                return status == 0;
            }
            catch (EntryPointNotFoundException e)
            {
                failure = e.Message;
                return false;
            }
        }

        private static T Function<T>(IntPtr library, string name) where T : Delegate =>
            NativeLibrary.TryGetExport(library, name, out var address)
                ? Marshal.GetDelegateForFunctionPointer<T>(address)
                : throw new EntryPointNotFoundException($"{name} is not exported by the CUDA driver");
    }
}
