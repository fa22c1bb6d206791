using TorchSharp;

namespace AffectMae.Benchmarks;

/// <summary>
/// What one benchmark case measured. Written as JSON (snake_case) next to pytorch_twin.py's results, which use the
/// same names; <c>compare.py</c> reads both.
/// </summary>
internal sealed class CaseResult
{
    /// <summary>Case name, e.g. <c>extract-b8</c>.</summary>
    public required string Case { get; set; }

    /// <summary>Which implementation ran.</summary>
    public string Side { get; init; } = "AffectMae";

    /// <summary>What the timed unit of work is.</summary>
    public required string Work { get; set; }

    /// <summary>Images or windows a batch.</summary>
    public int Batch { get; init; }

    /// <summary>Untimed runs before the timed ones.</summary>
    public int Warmup { get; init; }

    /// <summary>Timed runs.</summary>
    public int Iterations { get; init; }

    /// <summary>Seconds of each timed run.</summary>
    public double[] Seconds { get; init; } = [];

    /// <summary>Median of <see cref="Seconds"/>.</summary>
    public double MedianSeconds { get; init; }

    /// <summary>Images a second at the median (feature extraction only).</summary>
    public double? ImagesPerSecond { get; init; }

    /// <summary>Achieved GFLOP/s at the median, 35.2 GFLOP an image (feature extraction only).</summary>
    public double? GflopsPerSecond { get; init; }

    /// <summary>Milliseconds a training step at the median (training cases only).</summary>
    public double? MsPerStep { get; init; }

    /// <summary>Resident memory after the runtime and libtorch are loaded, before the model exists, MiB.</summary>
    public double RssStartMib { get; init; }

    /// <summary>Resident memory once the model and inputs exist, MiB.</summary>
    public double RssModelMib { get; init; }

    /// <summary>Peak resident memory of the process (VmHWM) when the result is made, MiB.</summary>
    public double PeakRssMib { get; init; } = ProcessMemory.PeakResidentMiB();

    /// <summary>Intra-op threads libtorch used.</summary>
    public int Threads { get; init; } = torch.get_num_threads();

    /// <summary>Inter-op threads libtorch reported.</summary>
    public int InteropThreads { get; init; } = torch.get_num_interop_threads();

    /// <summary>Cores this process kept busy during the timed runs.</summary>
    public double OwnCores { get; init; }

    /// <summary>Cores other processes kept busy during the timed runs (should be near 0).</summary>
    public double ForeignCores { get; init; }

    /// <summary>/proc/loadavg before the case.</summary>
    public string LoadAverageBefore { get; init; } = "";

    /// <summary>/proc/loadavg after the case.</summary>
    public string LoadAverageAfter { get; init; } = "";

    /// <summary>Minor page faults a timed run: fresh pages mapped and zeroed by the kernel (timed cases only).</summary>
    public double? MinorFaultsPerIteration { get; init; }

    /// <summary>Memory after selected steps (memory cases only).</summary>
    public IReadOnlyList<MemoryPoint>? MemoryTrace { get; init; }

    /// <summary>Free-form extra figures (diagnostic cases).</summary>
    public IReadOnlyDictionary<string, double>? Extra { get; init; }
}

/// <summary>Memory after a given number of steps.</summary>
/// <param name="Step">Steps done (1-based).</param>
/// <param name="RssMib">Resident memory (VmRSS), MiB.</param>
/// <param name="LiveTensors">Tensors created on this thread and not yet disposed (TorchSharp's count; −1 on PyTorch).</param>
/// <param name="ManagedMib">Managed heap after the step, MiB (0 on PyTorch).</param>
/// <param name="StepSeconds">Seconds the step took.</param>
/// <param name="MallocInUseMib">Native memory malloc has handed out and not had back (mallinfo2), MiB.</param>
internal sealed record MemoryPoint(int Step, double RssMib, long LiveTensors, double ManagedMib, double StepSeconds, double MallocInUseMib);
