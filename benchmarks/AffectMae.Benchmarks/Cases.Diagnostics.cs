// The diagnostic cases: where a step's time and memory go, the cost of the library's per-batch bookkeeping, and
// the check that ScopedAdamW updates parameters exactly as AdamW does.
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
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
                            Extra = extra,
            };
        }
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
            Extra = extra,
        };
    }
}
