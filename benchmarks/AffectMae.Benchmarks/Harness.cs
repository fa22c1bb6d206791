// The measuring side of the benchmarks: wall-clock timing with warm-up and medians, resident memory from
// /proc/self/status, and the CPU time other processes used meanwhile (from /proc/stat). pytorch_twin.py measures the
// same things the same way, so the two result files compare line by line.
using System.Diagnostics;
using System.Globalization;

namespace AffectMae.Benchmarks;

/// <summary>Times a body: <c>warmup</c> untimed runs, then <c>iterations</c> timed ones.</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="body"/> and returns the seconds of each timed run.</summary>
    /// <param name="label">Shown in the progress lines on stderr.</param>
    /// <param name="warmup">Untimed runs first (first-touch allocations, kernel selection, JIT).</param>
    /// <param name="iterations">Timed runs.</param>
    /// <param name="body">One unit of work; must leave no tensor behind.</param>
    /// <param name="minorFaults">Minor page faults of this process during the timed runs, per run.</param>
    public static double[] Run(string label, int warmup, int iterations, Action body, out double minorFaults)
    {
        for (int i = 0; i < warmup; i++)
        {
            var watch = Stopwatch.StartNew();
            body();
            Log.Line($"  {label} warm-up {i + 1}/{warmup}: {watch.Elapsed.TotalSeconds:F3} s");
        }
        var seconds = new double[iterations];
        long faultsBefore = ProcessMemory.MinorFaults();
        for (int i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            body();
            seconds[i] = watch.Elapsed.TotalSeconds;
            Log.Line($"  {label} run {i + 1}/{iterations}: {seconds[i]:F3} s");
        }
        minorFaults = (ProcessMemory.MinorFaults() - faultsBefore) / (double)Math.Max(1, iterations);
        return seconds;
    }

    /// <summary>The median (mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>Resident memory of this process, from /proc/self/status (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set size (VmRSS), MiB.</summary>
    public static double ResidentMiB() => ReadKiB("VmRSS:") / 1024.0;

    /// <summary>Peak resident set size since the process started or since <see cref="ResetPeak"/> (VmHWM), MiB.</summary>
    public static double PeakResidentMiB() => ReadKiB("VmHWM:") / 1024.0;

    /// <summary>Resets VmHWM to the current resident size (Linux: "5" into /proc/self/clear_refs), to measure one phase's peak.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>
    /// Bytes glibc's malloc has handed out and not had back (mallinfo2: uordblks + hblkhd, all arenas), MiB: the native
    /// memory libtorch actually holds, without the freed pages malloc keeps for reuse.
    /// </summary>
    public static double MallocInUseMiB()
    {
        var info = mallinfo2();
        return ((double)info.uordblks + info.hblkhd) / 1048576.0;
    }

    /// <summary>
    /// Minor page faults of this process so far (/proc/self/stat field 10): each is a fresh page the kernel had to map
    /// and zero, which is what a tensor allocated from new memory costs.
    /// </summary>
    public static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], CultureInfo.InvariantCulture);
    }

    /// <summary>Asks glibc to return freed memory to the system (malloc_trim(0)).</summary>
    public static void TrimMalloc() => malloc_trim(0);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    private static long ReadKiB(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);   // "123456 kB"
            return long.Parse(parts[0], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"/proc/self/status has no {key} line; the benchmarks need Linux.");
    }
}

/// <summary>
/// CPU time of the whole machine and of this process, in clock ticks, to tell how many cores other processes kept
/// busy while a benchmark ran: (machine busy − own) / elapsed.
/// </summary>
internal readonly record struct CpuSnapshot(long MachineBusy, long MachineTotal, long Own)
{
    /// <summary>Reads /proc/stat (first line) and /proc/self/stat (utime + stime, all threads).</summary>
    public static CpuSnapshot Take()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(cpu[i], CultureInfo.InvariantCulture);
        // cpu user nice system idle iowait irq softirq steal (guest time is already inside user)
        long busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        long total = busy + Field(4) + Field(5);
        var stat = File.ReadAllText("/proc/self/stat");
        var after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // field 3 (state) onwards
        long own = long.Parse(after[11], CultureInfo.InvariantCulture) + long.Parse(after[12], CultureInfo.InvariantCulture);   // fields 14, 15
        return new CpuSnapshot(busy, total, own);
    }

    /// <summary>Cores that processes other than this one kept busy on average since <paramref name="start"/>.</summary>
    public double ForeignCoresSince(CpuSnapshot start)
    {
        long total = MachineTotal - start.MachineTotal;
        if (total <= 0) return 0;
        long foreign = MachineBusy - start.MachineBusy - (Own - start.Own);
        return Math.Max(0, Environment.ProcessorCount * (double)foreign / total);
    }

    /// <summary>Cores this process kept busy on average since <paramref name="start"/>.</summary>
    public double OwnCoresSince(CpuSnapshot start)
    {
        long total = MachineTotal - start.MachineTotal;
        return total <= 0 ? 0 : Environment.ProcessorCount * (double)(Own - start.Own) / total;
    }
}

/// <summary>The CPU model and the instruction-set flags that decide float32 and bfloat16 speed.</summary>
internal static class MachineInfo
{
    /// <summary>The flags worth printing: vector width, FMA, VNNI, and the bfloat16/AMX extensions.</summary>
    private static readonly string[] Interesting =
        ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8"];

    /// <summary>"model name" of the first processor in /proc/cpuinfo.</summary>
    public static string CpuModel => Field("model name") ?? "?";

    /// <summary>The <see cref="Interesting"/> flags this CPU has, in that order.</summary>
    public static string[] CpuFlags
    {
        get
        {
            var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return Interesting.Where(flags.Contains).ToArray();
        }
    }

    /// <summary>One line for the log: model, flags, and what the library concludes about bfloat16.</summary>
    public static string Describe()
    {
        var bfloat16 = AffectMae.Models.Runtime.BFloat16Support.Probe(TorchSharp.torch.CPU);
        return $"CPU: {CpuModel}, {Environment.ProcessorCount} logical CPUs; flags: {string.Join(' ', CpuFlags)}; "
            + $"bfloat16 {(bfloat16.IsFast ? "fast" : "not fast")}: {bfloat16.Evidence}";
    }

    private static string? Field(string key) => File.ReadLines("/proc/cpuinfo")
        .FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
}

/// <summary>The machine's 1-, 5- and 15-minute load averages.</summary>
internal static class LoadAverage
{
    /// <summary>The first three fields of /proc/loadavg.</summary>
    public static string Read() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

/// <summary>
/// Waits until the machine is quiet before a measurement: other processes must use less than
/// <see cref="MaxForeignCores"/> cores over a 5-second sample. The 1-minute load average cannot tell our own previous
/// case from another user's job, so it is recorded, not used as the gate.
/// </summary>
internal static class QuietGate
{
    /// <summary>Cores other processes may use while we measure.</summary>
    public const double MaxForeignCores = 0.25;

    /// <summary>Waits (sampling 5 s, sleeping 60 s between tries) for at most <paramref name="maxWait"/>.</summary>
    /// <returns>The cores others used in the last sample.</returns>
    public static double Wait(TimeSpan maxWait)
    {
        var deadline = DateTime.UtcNow + maxWait;
        while (true)
        {
            var start = CpuSnapshot.Take();
            Thread.Sleep(TimeSpan.FromSeconds(5));
            double foreign = CpuSnapshot.Take().ForeignCoresSince(start);
            if (foreign < MaxForeignCores)
            {
                Log.Line($"quiet: other processes use {foreign:F2} cores; load average {LoadAverage.Read()}");
                return foreign;
            }
            if (DateTime.UtcNow >= deadline)
            {
                Log.Line($"WARNING: still busy after {maxWait.TotalMinutes:F0} min (other processes use {foreign:F2} cores); measuring anyway, the figures will be low.");
                return foreign;
            }
            Log.Line($"busy: other processes use {foreign:F2} cores (load average {LoadAverage.Read()}); waiting 60 s");
            Thread.Sleep(TimeSpan.FromSeconds(60));
        }
    }
}

/// <summary>Progress lines go to stderr so stdout carries only results.</summary>
internal static class Log
{
    /// <summary>Writes a time-stamped line to stderr.</summary>
    public static void Line(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
