using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace AffectMae.Models.Runtime;

/// <summary>
/// Gives the pages of freed tensors back to the operating system, where the C library keeps them (glibc on Linux).
/// </summary>
/// <remarks>
/// libtorch allocates CPU tensors with the C library's malloc. glibc serves blocks above its mmap threshold with their
/// own mappings and unmaps them on free, but raises that threshold (up to 32 MiB) each time such a block is freed, so
/// most activations of a training step — [32, 300, 512] float32 is 19.7 MB — soon come from the heap instead, where
/// freed blocks stay resident until the heap's top is free. Over a few steps the holes add up: measured on the
/// temporal step at [32, 300, 768], the resident peak was 4.54 GB with the default allocator and 3.15 GB with a fixed
/// 128 KiB threshold (MALLOC_MMAP_THRESHOLD_=131072), for the same live tensors; PyTorch 1.13 showed the same 4.1 / 3.1 GB
/// split. <c>malloc_trim(0)</c> after a step returns the free pages of every arena (glibc 2.8 and later release free
/// pages inside the heap too, not only at its top), so each step starts from the memory that is really in use.
/// <see cref="Training.Trainer.Step"/> calls it after every step. Elsewhere (Windows, macOS, musl) it does nothing.
/// <para>
/// The same moving threshold costs time: until it has risen, every model call maps, faults in and unmaps its larger
/// activations, and it rises only as such blocks happen to be freed, so a process runs slower for its first minutes
/// and then speeds up at no particular moment. <see cref="UseFixedThresholds"/> fixes it at its highest value from the
/// start (what <c>MALLOC_MMAP_THRESHOLD_</c> and <c>MALLOC_TRIM_THRESHOLD_</c> do when set before a process starts).
/// </para>
/// </remarks>
public static class NativeHeap
{
    /// <summary>glibc's largest mmap threshold on 64-bit systems, 32 MiB (<c>DEFAULT_MMAP_THRESHOLD_MAX</c>), the one it rises to.</summary>
    public const long MaxMmapThresholdBytes = 32L << 20;

    /// <summary>The trim threshold <see cref="UseFixedThresholds"/> sets by default, 1 GiB: freed memory is returned by <see cref="ReturnFreedMemory"/>, not after every free.</summary>
    public const long DefaultTrimThresholdBytes = 1L << 30;

    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;

    private static bool unavailable = !OperatingSystem.IsLinux();
    private static bool fixedByCall;
    private static int advised;

    /// <summary>
    /// Whether this process's malloc thresholds are fixed: by <see cref="UseFixedThresholds"/>, or by
    /// <c>MALLOC_MMAP_THRESHOLD_</c> or <c>GLIBC_TUNABLES=glibc.malloc.mmap_threshold=…</c> in the environment.
    /// </summary>
    public static bool ThresholdsFixed => fixedByCall
        || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
        || Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.mmap_threshold", StringComparison.Ordinal) == true;

    /// <summary>Returns free heap pages to the system (glibc's <c>malloc_trim(0)</c>).</summary>
    /// <returns>Whether memory was returned; false where the C library has no such call.</returns>
    public static bool ReturnFreedMemory()
    {
        if (unavailable) return false;
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (EntryPointNotFoundException)
        {
            unavailable = true;   // not glibc (e.g. musl): nothing to trim
            return false;
        }
        catch (DllNotFoundException)
        {
            unavailable = true;
            return false;
        }
    }

    /// <summary>
    /// Fixes glibc's malloc thresholds for the whole process, so that blocks up to <paramref name="mmapThresholdBytes"/>
    /// come from the heap and are reused from the first model call on, and freed memory stays for reuse until
    /// <paramref name="trimThresholdBytes"/> of it is free at the heap's top (training still returns it after every
    /// step, see <see cref="ReturnFreedMemory"/>). Call it once at start-up, before the first model runs; what it gains in
    /// extraction, training and prediction, and costs in memory, is measured in benchmarks/RESULTS.md ("Fixed malloc
    /// thresholds"). Elsewhere (Windows, macOS, musl) it does nothing.
    /// </summary>
    /// <param name="mmapThresholdBytes">Blocks above this size get their own mapping; at most <see cref="MaxMmapThresholdBytes"/>.</param>
    /// <param name="trimThresholdBytes">Free memory at the heap's top that glibc keeps before giving it back.</param>
    /// <returns>Whether the thresholds were set, and why not when they were not.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is not positive, or the mmap threshold is above glibc's maximum.</exception>
    public static HeapThresholds UseFixedThresholds(long mmapThresholdBytes = MaxMmapThresholdBytes, long trimThresholdBytes = DefaultTrimThresholdBytes)
    {
        if (mmapThresholdBytes is <= 0 or > MaxMmapThresholdBytes)
            throw new ArgumentOutOfRangeException(nameof(mmapThresholdBytes), mmapThresholdBytes, $"The mmap threshold must be between 1 and {MaxMmapThresholdBytes} bytes (32 MiB, glibc's maximum on 64-bit systems).");
        if (trimThresholdBytes is <= 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(trimThresholdBytes), trimThresholdBytes, $"The trim threshold must be between 1 and {int.MaxValue} bytes (mallopt takes an int).");
        if (unavailable) return new HeapThresholds(false, "not Linux: the C library's allocator is left as it is");
        try
        {
            if (mallopt(M_MMAP_THRESHOLD, (int)mmapThresholdBytes) == 0 || mallopt(M_TRIM_THRESHOLD, (int)trimThresholdBytes) == 0)
                return new HeapThresholds(false, "glibc refused the thresholds (mallopt returned 0)");
            fixedByCall = true;
            return new HeapThresholds(true, $"glibc malloc: mmap threshold {mmapThresholdBytes >> 10} KiB, trim threshold {trimThresholdBytes >> 10} KiB, fixed");
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true;
            return new HeapThresholds(false, "the C library is not glibc: its allocator is left as it is");
        }
    }

    /// <summary>Tells <paramref name="logger"/>, once a process, that CPU inference would run faster with fixed thresholds, where they are not.</summary>
    internal static void AdviseOnce(ILogger? logger)
    {
        if (logger is null || unavailable || ThresholdsFixed || Interlocked.Exchange(ref advised, 1) == 1) return;
        logger.LogInformation("glibc's malloc thresholds move with the process's history, which can make CPU inference up to twice as slow for minutes: "
            + "call NativeHeap.UseFixedThresholds() once at start-up (AffectMae README, \"Speed on Linux\").");
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
