// The benchmark cases: the library's real modules doing the work of the three stages, sized as in the paper.
// pytorch_twin.py builds the same architectures in PyTorch and times the same work.
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

/// <summary>Options shared by the cases.</summary>
internal sealed class Settings
{
    /// <summary>Overrides every case's warm-up count when set.</summary>
    public int? Warmup { get; set; }

    /// <summary>Overrides every case's timed-run count when set.</summary>
    public int? Iterations { get; set; }

    /// <summary>Intra-op threads, the same on both sides. <value>The default value is 2.</value></summary>
    public int Threads { get; set; } = 2;

    /// <summary>Windows (or images) a batch in the memory cases. <value>The default value is 8.</value></summary>
    public int MemoryBatch { get; set; } = 8;

    /// <summary>Steps in the memory case. <value>The default value is 200.</value></summary>
    public int MemorySteps { get; set; } = 200;
}

/// <summary>Runs one case in this process.</summary>
internal static class Cases
{
    /// <summary>ViT-B/16 forward FLOPs an image at 224×224 (17.6 GMAC, counted as 2 FLOPs each).</summary>
    public const double GflopPerImage = 35.2;

    /// <summary>The cases, in the order <c>all</c> runs them.</summary>
    public static readonly string[] Names =
        ["blas", "extract-b1", "extract-b8", "extract-b32", "mae-b8", "temporal-b32", "memory-temporal", "overhead"];

    /// <summary>Runs case <paramref name="name"/>.</summary>
    public static CaseResult Run(string name, Settings settings)
    {
        torch.set_num_threads(settings.Threads);
        manual_seed(0);
        return name switch
        {
            "extract-b1" => Extract(1, settings, warmup: 3, iterations: 15),
            "extract-b8" => Extract(8, settings, warmup: 2, iterations: 7),
            "extract-b32" => Extract(32, settings, warmup: 2, iterations: 5),
            "mae-b8" => MaeStep(8, settings, warmup: 2, iterations: 5, scopedAdamW: false),
            "temporal-b32" => TemporalStep(32, settings, warmup: 2, iterations: 5, scopedAdamW: false),
            "mae-b8-scoped-adamw" => MaeStep(8, settings, warmup: 2, iterations: 5, scopedAdamW: true),
            "temporal-b32-scoped-adamw" => TemporalStep(32, settings, warmup: 2, iterations: 5, scopedAdamW: true),
            "adamw-equivalence" => AdamWEquivalence(),
            "memory-temporal" => MemoryTemporal(settings),
            "memory-extract" => MemoryExtract(settings),
            "overhead" => Overhead(settings),
            "blas" => Blas(settings),
            "profile-temporal" => ProfileTemporal(settings, scopedAdamW: false),
            "profile-mae" => ProfileMae(settings, scopedAdamW: false),
            "profile-mae-scoped-adamw" => ProfileMae(settings, scopedAdamW: true),
            _ => throw new ArgumentException($"Unknown case '{name}'; known: {string.Join(", ", Names)}, memory-extract, profile-temporal, profile-mae, profile-mae-scoped-adamw, mae-b8-scoped-adamw, temporal-b32-scoped-adamw, adamw-equivalence.", nameof(name)),
        };
    }

    /// <summary>
    /// Feature extraction as <c>FeatureExtractor</c> runs it: MaeClassifier (ViT-B/16) in eval mode, no_grad, one
    /// CollectionPause and one dispose scope a batch.
    /// </summary>
    private static CaseResult Extract(int batch, Settings settings, int warmup, int iterations)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var model = new MaeClassifier(new MaeClassifierOptions { Encoder = MaeViTOptions.Base16Dec512D8 });
        model.eval();
        using var images = randn(batch, 3, 224, 224);
        double rssModel = ProcessMemory.ResidentMiB();

        void Body()
        {
            using var _ = no_grad();
            using var pause = CollectionPause.Begin();
            using var scope = NewDisposeScope();
            var features = model.ExtractFeatures(images);   // [N, 768]
            if (features.shape[1] != 768) throw new InvalidOperationException("unexpected feature size");
        }

        return Measure($"extract-b{batch}", $"MaeClassifier(ViT-B/16).ExtractFeatures, [{batch}, 3, 224, 224], eval + no_grad",
            batch, settings, warmup, iterations, Body, rssStart, rssModel,
            median => (ImagesPerSecond: batch / median, Gflops: batch * GflopPerImage / median, Ms: null));
    }

    /// <summary>
    /// One MAE pre-training step: MaeViT.Forward(images, 0.75), backward, AdamW (Trainer.Step); with
    /// <paramref name="scopedAdamW"/>, the same step with <see cref="ScopedAdamW"/>.
    /// </summary>
    private static CaseResult MaeStep(int batch, Settings settings, int warmup, int iterations, bool scopedAdamW)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var mae = new MaeViT(MaeViTOptions.Base16Dec512D8);
        mae.train();
        var options = OptimizationOptions.Pretraining;
        using var optimizer = CreateAdamW(mae, options, scopedAdamW);
        var trainer = new Trainer(mae, optimizer, options, stepsPerEpoch: 100);
        using var images = randn(batch, 3, 224, 224);
        double rssModel = ProcessMemory.ResidentMiB();

        void Body() => trainer.Step(() => mae.Forward(images, 0.75).Loss);   // pred and mask die with Step's scope

        return Measure($"mae-b{batch}{(scopedAdamW ? "-scoped-adamw" : "")}", $"MaeViT(ViT-B/16, dec 512d8b) pre-training step, [{batch}, 3, 224, 224], mask 0.75, {(scopedAdamW ? "ScopedAdamW" : "AdamW")}",
            batch, settings, warmup, iterations, Body, rssStart, rssModel,
            median => (null, null, Ms: median * 1000));
    }

    /// <summary>
    /// One temporal training step: AffectSequenceModel (Base768D512) + AffectObjective + AdamW (Trainer.Step); with
    /// <paramref name="scopedAdamW"/>, the same step with <see cref="ScopedAdamW"/>.
    /// </summary>
    private static CaseResult TemporalStep(int batch, Settings settings, int warmup, int iterations, bool scopedAdamW)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var run = new TemporalRun(batch, scopedAdamW);
        double rssModel = ProcessMemory.ResidentMiB();
        return Measure($"temporal-b{batch}{(scopedAdamW ? "-scoped-adamw" : "")}", $"AffectSequenceModel(Base768D512) training step on [{batch}, 300, 768], 1−CCC + CE + BCE, {(scopedAdamW ? "ScopedAdamW" : "AdamW")}",
            batch, settings, warmup, iterations, () => run.Step(), rssStart, rssModel,
            median => (null, null, Ms: median * 1000));
    }

    /// <summary>
    /// The temporal training step repeated <see cref="Settings.MemorySteps"/> times, with resident memory, TorchSharp's
    /// live-tensor count and the managed heap recorded after selected steps.
    /// </summary>
    private static CaseResult MemoryTemporal(Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var run = new TemporalRun(settings.MemoryBatch, scopedAdamW: false);
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

    /// <summary>Plain sgemm, [2048, 2048] @ [2048, 2048]: how fast the BLAS underneath is, apart from any module code.</summary>
    private static CaseResult Blas(Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var a = randn(2048, 2048);
        using var b = randn(2048, 2048);
        void Body()
        {
            using var scope = NewDisposeScope();
            mm(a, b);
        }
        return Measure("blas", "torch.mm [2048, 2048] @ [2048, 2048] float32", 0, settings, warmup: 3, iterations: 10, Body,
            rssStart, ProcessMemory.ResidentMiB(), median => (null, Gflops: 2.0 * 2048 * 2048 * 2048 / median / 1e9, null));
    }

    /// <summary>
    /// Where the temporal step's time goes: forward (model + loss), backward and AdamW of the whole step, then forward
    /// and backward of the TCN, the transformer and the heads built alone with the same options (inputs [32, 300, ·]).
    /// </summary>
    private static CaseResult ProfileTemporal(Settings settings, bool scopedAdamW)
    {
        const int Batch = 32;
        int warmup = settings.Warmup ?? 1, iterations = settings.Iterations ?? 3;
        double rssStart = ProcessMemory.ResidentMiB();
        var phases = new Phases();
        using (var run = new TemporalRun(Batch, scopedAdamW))
        {
            for (int i = 0; i < warmup + iterations; i++)
            {
                using var pause = CollectionPause.Begin();
                using var scope = NewDisposeScope();
                run.Optimizer.zero_grad();
                phases.StartPeak();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var loss = run.Objective.Loss(run.Model, run.Batch);
                _ = loss.item<float>();
                var forward = watch.Elapsed.TotalSeconds;
                phases.EndPeak("forward");
                loss.backward();
                var backward = watch.Elapsed.TotalSeconds;
                phases.EndPeak("backward");
                run.Optimizer.step();
                var total = watch.Elapsed.TotalSeconds;
                phases.EndPeak("adamw");
                if (i < warmup) continue;
                phases.Add("step_forward_s", forward);
                phases.Add("step_backward_s", backward - forward);
                phases.Add("step_adamw_s", total - backward);
            }
        }

        var options = AffectSequenceModelOptions.Base768D512;
        using var valid = ones(Batch, 300, dtype: ScalarType.Bool);
        using var x = randn(Batch, 300, options.InputDim);
        using var h = randn(Batch, 300, options.Transformer.DModel);
        using var tcn = new TemporalConvNet(options.Tcn);
        using var transformer = new SegmentTransformer(options.Transformer);
        using var heads = new TaskHeads(options.Heads);
        phases.Component("tcn", warmup, iterations, () => tcn.call(x, valid));
        phases.Component("transformer", warmup, iterations, () => transformer.call(h, valid));
        phases.Component("heads", warmup, iterations, () =>
        {
            using var p = heads.call(h);
            return p.ValenceArousal!.sum() + p.Expression!.sum() + p.ActionUnits!.sum();
        });
        return phases.Result("profile-temporal", $"temporal step phases and components on [{Batch}, 300, ·]", Batch, warmup, iterations, rssStart);
    }

    /// <summary>
    /// Where the MAE step's time and memory go: encoder, decoder, loss, backward, AdamW (batch 8, 75 % masked), with
    /// the peak resident memory of the forward, backward and optimiser phases.
    /// </summary>
    private static CaseResult ProfileMae(Settings settings, bool scopedAdamW)
    {
        const int Batch = 8;
        int warmup = settings.Warmup ?? 1, iterations = settings.Iterations ?? 3;
        double rssStart = ProcessMemory.ResidentMiB();
        var phases = new Phases();
        using var mae = new MaeViT(MaeViTOptions.Base16Dec512D8);
        mae.train();
        using var optimizer = CreateAdamW(mae, OptimizationOptions.Pretraining, scopedAdamW);
        using var images = randn(Batch, 3, 224, 224);
        for (int i = 0; i < warmup + iterations; i++)
        {
            using var pause = CollectionPause.Begin();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            phases.StartPeak();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (latent, mask, idsRestore) = mae.ForwardEncoder(images, 0.75);
            var encoder = watch.Elapsed.TotalSeconds;
            var pred = mae.ForwardDecoder(latent, idsRestore);
            var decoder = watch.Elapsed.TotalSeconds;
            var loss = mae.ForwardLoss(images, pred, mask);
            _ = loss.item<float>();
            var lossDone = watch.Elapsed.TotalSeconds;
            phases.EndPeak("forward");
            loss.backward();
            var backward = watch.Elapsed.TotalSeconds;
            phases.EndPeak("backward");
            optimizer.step();
            var total = watch.Elapsed.TotalSeconds;
            phases.EndPeak("adamw");
            if (i < warmup) continue;
            phases.Add("encoder_forward_s", encoder);
            phases.Add("decoder_forward_s", decoder - encoder);
            phases.Add("loss_forward_s", lossDone - decoder);
            phases.Add("backward_s", backward - lossDone);
            phases.Add("adamw_s", total - backward);
        }
        return phases.Result(scopedAdamW ? "profile-mae-scoped-adamw" : "profile-mae",
            $"MAE step phases, [{Batch}, 3, 224, 224], {(scopedAdamW ? "ScopedAdamW" : "AdamW")}", Batch, warmup, iterations, rssStart);
    }

    /// <summary>Median seconds of named phases.</summary>
    private sealed class Phases
    {
        private readonly Dictionary<string, List<double>> samples = [];

        public void Add(string phase, double seconds)
        {
            if (!samples.TryGetValue(phase, out var list)) samples[phase] = list = [];
            list.Add(seconds);
        }

        /// <summary>Resets the peak and records the resident memory a step starts from.</summary>
        public void StartPeak()
        {
            ProcessMemory.ResetPeak();
            Add("rss_step_start_mib", ProcessMemory.ResidentMiB());
        }

        /// <summary>Records the peak resident memory since the last reset as <paramref name="phase"/>'s, and resets it.</summary>
        public void EndPeak(string phase)
        {
            Add($"peak_rss_{phase}_mib", ProcessMemory.PeakResidentMiB());
            ProcessMemory.ResetPeak();
        }

        /// <summary>Forward and backward (of the sum of the outputs) of a module alone, in training mode.</summary>
        public void Component(string name, int warmup, int iterations, Func<Tensor> forward)
        {
            for (int i = 0; i < warmup + iterations; i++)
            {
                using var pause = CollectionPause.Begin();
                using var scope = NewDisposeScope();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var output = forward();
                var total = output.sum();
                var forwardSeconds = watch.Elapsed.TotalSeconds;
                total.backward();
                var all = watch.Elapsed.TotalSeconds;
                if (i < warmup) continue;
                Add($"{name}_forward_s", forwardSeconds);
                Add($"{name}_backward_s", all - forwardSeconds);
            }
        }

        public CaseResult Result(string name, string work, int batch, int warmup, int iterations, double rssStart)
        {
            var extra = samples.ToDictionary(p => p.Key, p => Timing.Median(p.Value));
            foreach (var (key, value) in extra) Log.Line($"  {name} {key}: {value:F3}");
            return new CaseResult
            {
                Case = name,
                Work = work,
                Batch = batch,
                Warmup = warmup,
                Iterations = iterations,
                RssStartMib = rssStart,
                PeakRssMib = ProcessMemory.PeakResidentMiB(),
                Threads = torch.get_num_threads(),
                InteropThreads = torch.get_num_interop_threads(),
                Extra = extra,
            };
        }
    }

    /// <summary>
    /// The library's AdamW (<see cref="WeightDecayGroups.CreateAdamW(nn.Module, OptimizationOptions)"/>), or the same two
    /// groups with <see cref="ScopedAdamW"/>.
    /// </summary>
    private static TorchSharp.Modules.AdamW CreateAdamW(nn.Module model, OptimizationOptions options, bool scoped)
    {
        if (!scoped) return WeightDecayGroups.CreateAdamW(model, options);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        bool NoDecay(string name, TorchSharp.Modules.Parameter p) => p.dim() <= 1 || name.EndsWith("token", StringComparison.Ordinal) || name == "pos_embed";
        var groups = new[]
        {
            new TorchSharp.Modules.AdamW.ParamGroup(trainable.Where(p => !NoDecay(p.name, p.parameter)).Select(p => p.parameter), new TorchSharp.Modules.AdamW.Options { LearningRate = options.LearningRate, weight_decay = options.WeightDecay }),
            new TorchSharp.Modules.AdamW.ParamGroup(trainable.Where(p => NoDecay(p.name, p.parameter)).Select(p => p.parameter), new TorchSharp.Modules.AdamW.Options { LearningRate = options.LearningRate, weight_decay = 0.0 }),
        };
        return new ScopedAdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
    }

    /// <summary>
    /// <see cref="ScopedAdamW"/> and the library's AdamW update two identical copies of the tiny temporal model for 5
    /// steps on the same batch (dropout off): the largest difference between their parameters must be 0.
    /// </summary>
    private static CaseResult AdamWEquivalence()
    {
        double rssStart = ProcessMemory.ResidentMiB();
        var options = new OptimizationOptions { LearningRate = 1e-2, WeightDecay = 0.05, Beta2 = 0.95 };
        using var a = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        using var b = new AffectSequenceModel(AffectSequenceModelOptions.Tiny16D24);
        b.load_state_dict(a.state_dict());
        a.eval();
        b.eval();
        using var stock = CreateAdamW(a, options, scoped: false);
        using var scoped = CreateAdamW(b, options, scoped: true);
        using var x = randn(4, 10, 16);
        double maxDiff = 0;
        for (int step = 0; step < 5; step++)
        {
            foreach (var (model, optimizer) in new[] { (a, stock), (b, scoped) })
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                using var p = model.call(x, null);
                (p.ValenceArousal!.square().mean() + p.Expression!.square().mean() + p.ActionUnits!.square().mean()).backward();
                optimizer.step();
            }
        }
        foreach (var ((_, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            using var d = (pa - pb).abs().max();
            maxDiff = Math.Max(maxDiff, d.item<float>());
        }
        Log.Line($"  adamw-equivalence: largest parameter difference after 5 steps = {maxDiff}");
        if (maxDiff != 0) throw new InvalidOperationException($"ScopedAdamW differs from AdamW by {maxDiff}.");
        return new CaseResult
        {
            Case = "adamw-equivalence",
            Work = "ScopedAdamW vs AdamW on two copies of AffectSequenceModel(Tiny16D24), 5 steps",
            Iterations = 5,
            RssStartMib = rssStart,
            PeakRssMib = ProcessMemory.PeakResidentMiB(),
            Threads = torch.get_num_threads(),
            InteropThreads = torch.get_num_interop_threads(),
            Extra = new Dictionary<string, double> { ["max_abs_parameter_difference"] = maxDiff },
        };
    }

    /// <summary>Costs of the per-batch bookkeeping the library adds around the tensor work.</summary>
    private static CaseResult Overhead(Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        const int Repeats = 50;
        double MedianMicroseconds(Action action)
        {
            for (int i = 0; i < 5; i++) action();
            var samples = new double[Repeats];
            for (int i = 0; i < Repeats; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                action();
                samples[i] = watch.Elapsed.TotalMicroseconds;
            }
            return Timing.Median(samples);
        }

        // A managed heap like the benchmarks': a model's worth of module objects alive.
        using var model = new AffectSequenceModel(AffectSequenceModelOptions.Base768D512);
        double pause = MedianMicroseconds(() =>
        {
            using var p = CollectionPause.Begin();
        });
        double scope = MedianMicroseconds(() =>
        {
            using var s = NewDisposeScope();
        });
        double collect = MedianMicroseconds(() => GC.Collect());
        int active = 0;
        int collectionsBefore = GC.CollectionCount(0);
        for (int i = 0; i < 10; i++)
        {
            using (CollectionPause.Begin()) active += CollectionPause.IsActive ? 1 : 0;
        }
        double collectionsByPause = (GC.CollectionCount(0) - collectionsBefore) / 10.0;
        using var a = randn(64, 64);
        double smallOp = MedianMicroseconds(() =>
        {
            using var s = NewDisposeScope();
            _ = a + a;
        });
        var extra = new Dictionary<string, double>
        {
            ["collection_pause_begin_end_us"] = pause,
            ["dispose_scope_us"] = scope,
            ["gc_collect_us"] = collect,
            ["collection_pause_active_fraction"] = active / 10.0,
            ["collections_started_by_one_pause"] = collectionsByPause,
            ["small_add_in_scope_us"] = smallOp,
            ["managed_heap_mib"] = GC.GetTotalMemory(false) / 1048576.0,
        };
        foreach (var (key, value) in extra) Log.Line($"  {key}: {value:F1}");
        return new CaseResult
        {
            Case = "overhead",
            Work = "per-batch bookkeeping: CollectionPause.Begin/End, NewDisposeScope, GC.Collect, a 64×64 add",
            Iterations = Repeats,
            RssStartMib = rssStart,
            PeakRssMib = ProcessMemory.PeakResidentMiB(),
            Threads = torch.get_num_threads(),
            InteropThreads = torch.get_num_interop_threads(),
            Extra = extra,
        };
    }

    private static CaseResult Measure(string name, string work, int batch, Settings settings, int warmup, int iterations,
        Action body, double rssStart, double rssModel, Func<double, (double? ImagesPerSecond, double? Gflops, double? Ms)> rates)
    {
        warmup = settings.Warmup ?? warmup;
        iterations = settings.Iterations ?? iterations;
        string loadBefore = LoadAverage.Read();
        var cpuStart = CpuSnapshot.Take();
        var seconds = Timing.Run(name, warmup, iterations, body);
        var cpuEnd = CpuSnapshot.Take();
        double median = Timing.Median(seconds);
        var (imagesPerSecond, gflops, ms) = rates(median);
        return new CaseResult
        {
            Case = name,
            Work = work,
            Batch = batch,
            Warmup = warmup,
            Iterations = iterations,
            Seconds = seconds,
            MedianSeconds = median,
            ImagesPerSecond = imagesPerSecond,
            GflopsPerSecond = gflops,
            MsPerStep = ms,
            RssStartMib = rssStart,
            RssModelMib = rssModel,
            PeakRssMib = ProcessMemory.PeakResidentMiB(),
            Threads = torch.get_num_threads(),
            InteropThreads = torch.get_num_interop_threads(),
            OwnCores = cpuEnd.OwnCoresSince(cpuStart),
            ForeignCores = cpuEnd.ForeignCoresSince(cpuStart),
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = LoadAverage.Read(),
        };
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
            PeakRssMib = ProcessMemory.PeakResidentMiB(),
            Threads = torch.get_num_threads(),
            InteropThreads = torch.get_num_interop_threads(),
            OwnCores = cpuEnd.OwnCoresSince(cpuStart),
            ForeignCores = cpuEnd.ForeignCoresSince(cpuStart),
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = LoadAverage.Read(),
            MemoryTrace = trace,
            Extra = new Dictionary<string, double> { ["rss_after_malloc_trim_mib"] = rssTrimmed },
        };
    }

    /// <summary>The temporal model, its optimiser and one fixed batch of random features and labels.</summary>
    private sealed class TemporalRun : IDisposable
    {
        private readonly AffectSequenceModel model = new(AffectSequenceModelOptions.Base768D512);
        private readonly AffectObjective objective = new();
        private readonly TorchSharp.Modules.AdamW optimizer;
        private readonly Trainer trainer;
        private readonly FeatureWindowBatch batch;

        public TemporalRun(int windows, bool scopedAdamW)
        {
            model.train();
            var options = OptimizationOptions.Temporal;
            optimizer = CreateAdamW(model, options, scopedAdamW);
            trainer = new Trainer(model, optimizer, options, stepsPerEpoch: 100);
            batch = RandomBatch(windows);
        }

        public AffectSequenceModel Model => model;

        public AffectObjective Objective => objective;

        public TorchSharp.Modules.AdamW Optimizer => optimizer;

        public FeatureWindowBatch Batch => batch;

        public void Step() => trainer.Step(() => objective.Loss(model, batch));

        public void Dispose()
        {
            batch.Dispose();
            optimizer.Dispose();
            objective.Dispose();
            model.Dispose();
        }

        /// <summary>
        /// <paramref name="windows"/> full windows of 300 frames (one video of windows·300 frames cut with stride 300),
        /// random 768-d features and random labels for all three tasks; every frame valid and labelled.
        /// </summary>
        private static FeatureWindowBatch RandomBatch(int windows)
        {
            const int Length = 300, Dim = 768;
            int frames = windows * Length;
            var random = new Random(0);
            var features = new float[(long)frames * Dim];
            for (int i = 0; i < features.Length; i++) features[i] = (float)(random.NextDouble() * 2 - 1);
            var va = new float[frames * 2];
            for (int i = 0; i < va.Length; i++) va[i] = (float)(random.NextDouble() * 2 - 1);
            var expression = new int[frames];
            for (int i = 0; i < frames; i++) expression[i] = random.Next(TaskHeads.ExpressionCount);
            var actionUnits = new int[frames * LabelCodes.ActionUnitCount];
            for (int i = 0; i < actionUnits.Length; i++) actionUnits[i] = random.Next(2);
            var video = new VideoFeatures("benchmark", features, Dim, va, expression, actionUnits);
            var dataset = new FeatureWindowDataset([video], new VideoSegmenter(Length, Length));
            if (dataset.Count != windows) throw new InvalidOperationException($"expected {windows} windows, got {dataset.Count}");
            var staged = dataset.Stage([.. Enumerable.Range(0, windows)], random, CancellationToken.None);
            return dataset.ToBatch(staged, CPU);
        }
    }
}
