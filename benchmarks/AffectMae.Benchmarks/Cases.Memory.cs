// The memory cases: a step repeated many times, with resident memory, live tensors and the managed heap recorded.
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
    /// <summary>
    /// The temporal training step repeated <see cref="Settings.MemorySteps"/> times, with resident memory, TorchSharp's
    /// live-tensor count and the managed heap recorded after selected steps.
    /// </summary>
    private static CaseResult MemoryTemporal(Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var run = new TemporalRun(settings.MemoryBatch, torchSharpAdamW: false);
        double rssModel = ProcessMemory.ResidentMiB();
        return MemoryLoop("memory-temporal", $"temporal training step on [{settings.MemoryBatch}, 300, 768], repeated",
            settings.MemoryBatch, settings, () => run.Step(), rssStart, rssModel);
    }

    /// <summary>Feature extraction at batch <see cref="Settings.MemoryBatch"/> repeated, memory recorded as above.</summary>
    private static CaseResult MemoryExtract(Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var model = new MaeClassifier(new MaeClassifierOptions { Encoder = MaeViTOptions.Base16Dec512D8 });
        model.eval();
        int batch = settings.MemoryBatch;
        double rssModel = ProcessMemory.ResidentMiB();
        void Body()
        {
            using var _ = no_grad();
            using var pause = CollectionPause.Begin();
            using var scope = NewDisposeScope();
            var images = randn(batch, 3, 224, 224);          // a fresh batch each time, as a loader would give
            model.ExtractFeatures(images);
        }
        return MemoryLoop("memory-extract", $"MaeClassifier(ViT-B/16).ExtractFeatures on fresh [{batch}, 3, 224, 224] batches, repeated",
            batch, settings, Body, rssStart, rssModel);
    }

    private static CaseResult MemoryLoop(string name, string work, int batch, Settings settings, Action body, double rssStart, double rssModel)
    {
        int steps = settings.MemorySteps;
        var record = new SortedSet<int> { 1, 2, 5, 10, 25, 50, 100, 150, 200, steps };
        var trace = new List<MemoryPoint>();
        var seconds = new double[steps];
        string loadBefore = LoadAverage.Read();
        var cpuStart = CpuSnapshot.Take();
        for (int step = 1; step <= steps; step++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            body();
            seconds[step - 1] = watch.Elapsed.TotalSeconds;
            if (!record.Contains(step)) continue;
            var point = new MemoryPoint(step, ProcessMemory.ResidentMiB(), DisposeScopeManager.Statistics.ThreadTotalLiveCount,
                GC.GetTotalMemory(false) / 1048576.0, seconds[step - 1], ProcessMemory.MallocInUseMiB());
            trace.Add(point);
            Log.Line($"  {name} after step {step}/{steps}: RSS {point.RssMib:F1} MiB, malloc in use {point.MallocInUseMib:F1} MiB, live tensors {point.LiveTensors}, managed {point.ManagedMib:F1} MiB, step {point.StepSeconds:F3} s");
        }
        var cpuEnd = CpuSnapshot.Take();
        ProcessMemory.TrimMalloc();                 // freed pages back to the system: what is left is really held
        double rssTrimmed = ProcessMemory.ResidentMiB();
        Log.Line($"  {name} after malloc_trim(0): RSS {rssTrimmed:F1} MiB");
        double median = Timing.Median(seconds);
        return new CaseResult
        {
            Case = name,
            Work = work,
            Batch = batch,
            Iterations = steps,
            Seconds = seconds,
            MedianSeconds = median,
            MsPerStep = median * 1000,
            RssStartMib = rssStart,
            RssModelMib = rssModel,
            OwnCores = cpuEnd.OwnCoresSince(cpuStart),
            ForeignCores = cpuEnd.ForeignCoresSince(cpuStart),
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = LoadAverage.Read(),
            MemoryTrace = trace,
            Extra = new Dictionary<string, double> { ["rss_after_malloc_trim_mib"] = rssTrimmed },
        };
    }
}
