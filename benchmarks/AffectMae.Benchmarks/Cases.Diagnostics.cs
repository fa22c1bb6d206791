// The diagnostic cases: where a step's time and memory go, the cost of the library's per-batch bookkeeping, and where
// bfloat16 inference's time goes (how close it comes to float32 is in Cases.Precision.cs).
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
    /// <summary>
    /// Where the temporal step's time goes: forward (model + loss), backward and AdamW of the whole step, then forward
    /// and backward of the TCN, the transformer and the heads built alone with the same options (inputs [32, 300, ·]).
    /// </summary>
    private static CaseResult ProfileTemporal(Settings settings)
    {
        const int Batch = 32;
        int warmup = settings.Warmup ?? 1, iterations = settings.Iterations ?? 3;
        double rssStart = ProcessMemory.ResidentMiB();
        var phases = new Phases();
        using (var run = new TemporalRun(Batch, torchSharpAdamW: false))
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
    private static CaseResult ProfileMae(Settings settings, bool torchSharpAdamW)
    {
        const int Batch = 8;
        int warmup = settings.Warmup ?? 1, iterations = settings.Iterations ?? 3;
        double rssStart = ProcessMemory.ResidentMiB();
        var phases = new Phases();
        using var mae = new MaeViT(MaeViTOptions.Base16Dec512D8);
        mae.train();
        using var optimizer = CreateAdamW(mae, OptimizationOptions.Pretraining, torchSharpAdamW);
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
        return phases.Result(torchSharpAdamW ? "profile-mae-torchsharp-adamw" : "profile-mae",
            $"MAE step phases, [{Batch}, 3, 224, 224], {(torchSharpAdamW ? "TorchSharp's AdamW" : "WeightDecayGroups.CreateAdamW")}", Batch, warmup, iterations, rssStart);
    }

    /// <summary>
    /// Where a ViT-B/16 block's time goes at batch 8 (or --memory-batch; 197 tokens, width 768), in float32 and in bfloat16: each step of
    /// Block.forward alone (the same libtorch calls, on weights of the same shapes), median milliseconds of interleaved
    /// runs, and GFLOP/s for the matrix products. Attention both ways: libtorch's fused scaled_dot_product_attention
    /// and the three calls <c>Attention</c> uses in bfloat16. Also the patch embedding and the whole block module.
    /// </summary>
    private static CaseResult ProfileExtract(Settings settings)
    {
        int iterations = settings.Iterations ?? 15;
        double rssStart = ProcessMemory.ResidentMiB();
        long N = settings.MemoryBatch, L = 197, D = 768, H = 12;   // batch: --memory-batch (default 8)
        var steps = new List<(string Name, double Gflop, Action Body)>();
        var keep = new List<IDisposable>();
        foreach (var type in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            string t = type == ScalarType.Float32 ? "f32" : "bf16";
            Tensor T(Tensor x) { var y = x.to_type(type); keep.Add(y); return y; }
            var x = T(randn(N, L, D));
            var hidden = T(randn(N, L, 4 * D));
            var qkvOut = T(randn(N, L, 3 * D));
            var attended = T(randn(N, H, L, D / H));
            var wQkv = T(randn(3 * D, D) * 0.02); var bQkv = T(zeros(3 * D));
            var wProj = T(randn(D, D) * 0.02); var bProj = T(zeros(D));
            var wFc1 = T(randn(4 * D, D) * 0.02); var bFc1 = T(zeros(4 * D));
            var wFc2 = T(randn(D, 4 * D) * 0.02); var bFc2 = T(zeros(D));
            var lnWeight = ones(D); var lnBias = zeros(D);   // float32, as UseInferencePrecision keeps them
            var images = T(randn(N, 3, 224, 224)); var wPatch = T(randn(D, 3, 16, 16) * 0.02); var bPatch = T(zeros(D));
            var block = new Block(D, H, 4.0, 1e-6);
            block.eval();
            block.to(type);
            keep.Add(block);
            double Flop(long m, long k, long n) => 2.0 * m * k * n / 1e9;
            void Add(string name, double gflop, Func<Tensor> body) => steps.Add(($"{t}_{name}", gflop, () =>
            {
                using var scope = NewDisposeScope();
                body();
            }));
            var a2048 = T(randn(2048, 2048)); var b2048 = T(randn(2048, 2048));
            Add("mm_2048", Flop(2048, 2048, 2048), () => mm(a2048, b2048));    // the blas case, as the yardstick
            Add("patch_embed_conv", Flop(N * 196, 3 * 256, D), () => nn.functional.conv2d(images, wPatch, bPatch, strides: [16, 16]));
            Add("layer_norm", 0, () => nn.functional.layer_norm(x, [D], lnWeight, lnBias, 1e-6));
            Add("qkv_linear", Flop(N * L, D, 3 * D), () => nn.functional.linear(x, wQkv, bQkv));
            Add("qkv_split_sdpa", 2 * Flop(N * H * L, D / H, L), () =>
            {
                var heads = qkvOut.reshape(N, L, 3, H, D / H).permute(2, 0, 3, 1, 4);
                return nn.functional.scaled_dot_product_attention(heads[0], heads[1], heads[2]);
            });
            Add("qkv_split_explicit", 2 * Flop(N * H * L, D / H, L), () =>   // Attention's bfloat16 path
            {
                var heads = qkvOut.reshape(N, L, 3, H, D / H).permute(2, 0, 3, 1, 4);
                var scores = (heads[0] * (1.0 / Math.Sqrt(D / H))).matmul(heads[1].transpose(-2, -1));
                return scores.softmax(-1).matmul(heads[2]);
            });
            Add("merge_heads", 0, () => attended.transpose(1, 2).reshape(N, L, D));
            Add("proj_linear", Flop(N * L, D, D), () => nn.functional.linear(x, wProj, bProj));
            Add("residual_add", 0, () => x + x);
            Add("fc1_linear", Flop(N * L, D, 4 * D), () => nn.functional.linear(x, wFc1, bFc1));
            Add("gelu", 0, () => nn.functional.gelu(hidden));
            Add("fc2_linear", Flop(N * L, 4 * D, D), () => nn.functional.linear(hidden, wFc2, bFc2));
            Add("block", GflopPerImage * N / 12, () => block.call(x));
        }
        var times = steps.ToDictionary(s => s.Name, _ => new List<double>());
        using (no_grad())
        {
            for (int i = 0; i < iterations + 2; i++)
            {
                foreach (var (name, _, body) in steps)
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    body();
                    if (i >= 2) times[name].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }
        var extra = new Dictionary<string, double>();
        foreach (var (name, gflop, _) in steps)
        {
            double ms = Timing.Median(times[name]);
            extra[$"{name}_ms"] = ms;
            if (gflop > 0) extra[$"{name}_gflops"] = gflop / (ms / 1000);
            Log.Line($"  {name,-24} {ms,8:F2} ms{(gflop > 0 ? $"  {gflop / (ms / 1000),6:F0} GFLOP/s" : "")}");
        }
        foreach (var item in keep) item.Dispose();
        return new CaseResult
        {
            Case = "profile-extract",
            Work = "one ViT-B/16 block at batch 8, step by step, float32 and bfloat16",
            Iterations = iterations,
            RssStartMib = rssStart,
            Extra = extra,
        };
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
