// The benchmark cases: the library's real modules doing the work of the three stages, sized as in the paper.
// pytorch_twin.py builds the same architectures in PyTorch and times the same work. The memory cases are in
// Cases.Memory.cs, the profiles and other diagnostics in Cases.Diagnostics.cs.
using AffectMae.Metrics;
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

    /// <summary>A trained run folder (<c>precision-accuracy-demo</c>). <value>The default value is the demo's, affectmae-demo/work.</value></summary>
    public string RunFolder { get; set; } = Path.Combine("affectmae-demo", "work");

    /// <summary>The data of <see cref="RunFolder"/> (<c>precision-accuracy-demo</c>). <value>The default value is affectmae-demo/data.</value></summary>
    public string DataFolder { get; set; } = Path.Combine("affectmae-demo", "data");
}

/// <summary>Runs one case in this process.</summary>
internal static partial class Cases
{
    /// <summary>ViT-B/16 forward FLOPs an image at 224×224 (17.6 GMAC, counted as 2 FLOPs each).</summary>
    public const double GflopPerImage = 35.2;

    /// <summary>The cases, in the order <c>all</c> runs them.</summary>
    public static readonly string[] Names =
    [
        "blas", "blas-bf16", "extract-b1", "extract-b8", "extract-b8-bf16", "extract-b32", "extract-b32-bf16", "mae-b8",
        "temporal-b32", "memory-temporal", "overhead",
    ];

    /// <summary>
    /// Ends a case's name to run it with the process's malloc thresholds fixed first
    /// (<see cref="NativeHeap.UseFixedThresholds"/>), e.g. <c>extract-b8+fixed-heap</c>; without it glibc's are left as
    /// they are, as PyTorch's twin leaves them.
    /// </summary>
    public const string FixedHeapSuffix = "+fixed-heap";

    /// <summary>Runs case <paramref name="name"/>.</summary>
    public static CaseResult Run(string name, Settings settings)
    {
        if (name.EndsWith(FixedHeapSuffix, StringComparison.Ordinal))
        {
            var heap = NativeHeap.UseFixedThresholds();
            Log.Line($"  native heap: {heap}");
            if (!heap.Applied) throw new ArgumentException($"Case {name} needs glibc's malloc; here {heap}.", nameof(name));
            var result = Run(name[..^FixedHeapSuffix.Length], settings);
            result.Case = name;
            result.Work += $"; {heap}";
            return result;
        }
        torch.set_num_threads(settings.Threads);
        manual_seed(0);
        return name switch
        {
            "extract-b1" => Extract(1, InferencePrecision.Float32, settings, warmup: 3, iterations: 15),
            "extract-b8" => Extract(8, InferencePrecision.Float32, settings, warmup: 2, iterations: 7),
            "extract-b32" => Extract(32, InferencePrecision.Float32, settings, warmup: 2, iterations: 5),
            "extract-b8-bf16" => Extract(8, InferencePrecision.BFloat16, settings, warmup: 2, iterations: 7),
            "extract-b32-bf16" => Extract(32, InferencePrecision.BFloat16, settings, warmup: 2, iterations: 5),
            "mae-b8" => MaeStep(8, settings, warmup: 2, iterations: 5, torchSharpAdamW: false),
            "temporal-b32" => TemporalStep(32, settings, warmup: 2, iterations: 5, torchSharpAdamW: false),
            "mae-b8-torchsharp-adamw" => MaeStep(8, settings, warmup: 2, iterations: 5, torchSharpAdamW: true),
            "temporal-b32-torchsharp-adamw" => TemporalStep(32, settings, warmup: 2, iterations: 5, torchSharpAdamW: true),
            "memory-temporal" => MemoryTemporal(settings),
            "memory-extract" => MemoryExtract(settings),
            "overhead" => Overhead(settings),
            "blas" => Blas(ScalarType.Float32, settings),
            "blas-bf16" => Blas(ScalarType.BFloat16, settings),
            "precision-accuracy" => PrecisionAccuracy(settings),
            "precision-accuracy-demo" => PrecisionAccuracyDemo(settings),
            "extract-e2e-b8" => ExtractEndToEnd(8, InferencePrecision.Float32, settings, warmup: 1, iterations: 3),
            "extract-e2e-b8-bf16" => ExtractEndToEnd(8, InferencePrecision.BFloat16, settings, warmup: 1, iterations: 3),
            "extract-e2e-b32-bf16" => ExtractEndToEnd(32, InferencePrecision.BFloat16, settings, warmup: 1, iterations: 3),
            "predict-long" => PredictLong(InferencePrecision.Float32, settings),
            "predict-long-bf16" => PredictLong(InferencePrecision.BFloat16, settings),
            "video-decode" => VideoDecode(settings, warmup: 1, iterations: 5),
            "video-faces-k1" => VideoFaces(1, settings, warmup: 1, iterations: 3),
            "video-faces-k5" => VideoFaces(5, settings, warmup: 1, iterations: 3),
            "video-predict-k5" => VideoPredict(settings, warmup: 1, iterations: 3),
            "recognizer-stream-2000" => RecognizerStream(2_000),
            "recognizer-stream-20000" => RecognizerStream(20_000),
            "profile-extract" => ProfileExtract(settings),
            "profile-temporal" => ProfileTemporal(settings),
            "profile-mae" => ProfileMae(settings, torchSharpAdamW: false),
            "profile-mae-torchsharp-adamw" => ProfileMae(settings, torchSharpAdamW: true),
            _ => throw new ArgumentException($"Unknown case '{name}'; known: {string.Join(", ", Names)} (each also with the suffix {FixedHeapSuffix}), memory-extract, precision-accuracy, precision-accuracy-demo, extract-e2e-b8, extract-e2e-b8-bf16, extract-e2e-b32-bf16, predict-long, predict-long-bf16, video-decode, video-faces-k1, video-faces-k5, video-predict-k5, recognizer-stream-2000, recognizer-stream-20000, profile-extract, profile-temporal, profile-mae, profile-mae-torchsharp-adamw, mae-b8-torchsharp-adamw, temporal-b32-torchsharp-adamw.", nameof(name)),
        };
    }

    /// <summary>
    /// Feature extraction as <c>FeatureExtractor</c> runs it: MaeClassifier (ViT-B/16) in eval mode at
    /// <paramref name="precision"/> (<see cref="MaeClassifier.UseInferencePrecision"/>), no_grad, one CollectionPause
    /// and one dispose scope a batch; float32 images in, float32 features out.
    /// </summary>
    private static CaseResult Extract(int batch, InferencePrecision precision, Settings settings, int warmup, int iterations)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var model = new MaeClassifier(new MaeClassifierOptions { Encoder = MaeViTOptions.Base16Dec512D8 });
        var choice = model.UseInferencePrecision(precision);
        Log.Line($"  precision: {choice}");
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

        string suffix = precision == InferencePrecision.Float32 ? "" : "-bf16";
        return Measure($"extract-b{batch}{suffix}", $"MaeClassifier(ViT-B/16).ExtractFeatures, [{batch}, 3, 224, 224], eval + no_grad, {choice}",
            batch, settings, warmup, iterations, Body, rssStart, rssModel,
            median => (ImagesPerSecond: batch / median, Gflops: batch * GflopPerImage / median, Ms: null));
    }

    /// <summary>
    /// One MAE pre-training step: MaeViT.Forward(images, 0.75), backward, AdamW (Trainer.Step); with
    /// <paramref name="torchSharpAdamW"/>, the same step with TorchSharp's own AdamW (one dispose scope for the whole step).
    /// </summary>
    private static CaseResult MaeStep(int batch, Settings settings, int warmup, int iterations, bool torchSharpAdamW)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var mae = new MaeViT(MaeViTOptions.Base16Dec512D8);
        mae.train();
        var options = OptimizationOptions.Pretraining;
        using var optimizer = CreateAdamW(mae, options, torchSharpAdamW);
        var trainer = new Trainer(mae, optimizer, options, stepsPerEpoch: 100);
        using var images = randn(batch, 3, 224, 224);
        double rssModel = ProcessMemory.ResidentMiB();

        void Body() => trainer.Step(() => mae.Forward(images, 0.75).Loss);   // pred and mask die with Step's scope

        return Measure($"mae-b{batch}{(torchSharpAdamW ? "-torchsharp-adamw" : "")}", $"MaeViT(ViT-B/16, dec 512d8b) pre-training step, [{batch}, 3, 224, 224], mask 0.75, {(torchSharpAdamW ? "TorchSharp's AdamW" : "WeightDecayGroups.CreateAdamW")}",
            batch, settings, warmup, iterations, Body, rssStart, rssModel,
            median => (null, null, Ms: median * 1000));
    }

    /// <summary>
    /// One temporal training step: AffectSequenceModel (Base768D512) + AffectObjective + AdamW (Trainer.Step); with
    /// <paramref name="torchSharpAdamW"/>, the same step with TorchSharp's own AdamW (one dispose scope for the whole step).
    /// </summary>
    private static CaseResult TemporalStep(int batch, Settings settings, int warmup, int iterations, bool torchSharpAdamW)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var run = new TemporalRun(batch, torchSharpAdamW);
        double rssModel = ProcessMemory.ResidentMiB();
        return Measure($"temporal-b{batch}{(torchSharpAdamW ? "-torchsharp-adamw" : "")}", $"AffectSequenceModel(Base768D512) training step on [{batch}, 300, 768], 1−CCC + CE + BCE, {(torchSharpAdamW ? "TorchSharp's AdamW" : "WeightDecayGroups.CreateAdamW")}",
            batch, settings, warmup, iterations, () => run.Step(), rssStart, rssModel,
            median => (null, null, Ms: median * 1000));
    }

    /// <summary>
    /// Plain matrix product, [2048, 2048] @ [2048, 2048] in <paramref name="type"/>: how fast the BLAS (float32) or
    /// oneDNN (bfloat16) underneath is, apart from any module code.
    /// </summary>
    private static CaseResult Blas(ScalarType type, Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        using var a = randn(2048, 2048).to_type(type);
        using var b = randn(2048, 2048).to_type(type);
        void Body()
        {
            using var scope = NewDisposeScope();
            mm(a, b);
        }
        return Measure(type == ScalarType.Float32 ? "blas" : "blas-bf16", $"torch.mm [2048, 2048] @ [2048, 2048] {type.ToString().ToLowerInvariant()}", 0, settings, warmup: 3, iterations: 10, Body,
            rssStart, ProcessMemory.ResidentMiB(), median => (null, Gflops: 2.0 * 2048 * 2048 * 2048 / median / 1e9, null));
    }

    /// <summary>
    /// The library's AdamW (<see cref="WeightDecayGroups.CreateAdamW(nn.Module, OptimizationOptions)"/>, one dispose
    /// scope per parameter), or TorchSharp's own over the same groups, to show what the per-parameter scopes save.
    /// </summary>
    private static TorchSharp.Modules.AdamW CreateAdamW(nn.Module model, OptimizationOptions options, bool torchSharpAdamW) => torchSharpAdamW
        ? optim.AdamW(WeightDecayGroups.ParameterGroups(model, options), options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay)
        : WeightDecayGroups.CreateAdamW(model, options);

    private static CaseResult Measure(string name, string work, int batch, Settings settings, int warmup, int iterations,
        Action body, double rssStart, double rssModel, Func<double, (double? ImagesPerSecond, double? Gflops, double? Ms)> rates)
    {
        warmup = settings.Warmup ?? warmup;
        iterations = settings.Iterations ?? iterations;
        string loadBefore = LoadAverage.Read();
        var cpuStart = CpuSnapshot.Take();
        var seconds = Timing.Run(name, warmup, iterations, body, out double minorFaults);
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
            OwnCores = cpuEnd.OwnCoresSince(cpuStart),
            ForeignCores = cpuEnd.ForeignCoresSince(cpuStart),
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = LoadAverage.Read(),
            MinorFaultsPerIteration = minorFaults,
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

        public TemporalRun(int windows, bool torchSharpAdamW)
        {
            model.train();
            var options = OptimizationOptions.Temporal;
            optimizer = CreateAdamW(model, options, torchSharpAdamW);
            trainer = new Trainer(model, optimizer, options, stepsPerEpoch: 100);
            batch = RandomBatch(windows);
            // The managed arrays the batch was staged from (features, labels: ~60 MB at 32 windows) are garbage now;
            // collect them so the resident memory is the step's, as on the twin, which builds tensors directly.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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
            for (int i = 0; i < frames; i++) expression[i] = random.Next(AffectLabels.ExpressionClassCount);
            var actionUnits = new int[frames * AffectLabels.ActionUnitCount];
            for (int i = 0; i < actionUnits.Length; i++) actionUnits[i] = random.Next(2);
            var video = new VideoFeatures("benchmark", features, Dim, va, expression, actionUnits);
            var dataset = new FeatureWindowDataset([video], new VideoSegmenter(Length, Length));
            if (dataset.Count != windows) throw new InvalidOperationException($"expected {windows} windows, got {dataset.Count}");
            var staged = dataset.Stage([.. Enumerable.Range(0, windows)], random, CancellationToken.None);
            return dataset.ToBatch(staged, CPU);
        }
    }
}
