using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;

namespace AffectMae.Cli.Pipeline;

/// <summary>
/// Every knob of the pipeline. <see cref="Demo"/> scales the paper's recipe down so the whole run takes minutes on
/// two CPU cores; <see cref="Paper"/> holds the paper's sizes for real Aff-Wild2 data on a GPU.
/// </summary>
public sealed record PipelineSettings
{
    /// <summary>Frame side fed to the ViT.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>The MAE ViT (pre-training) and the encoder of the classifier.</summary>
    public MaeViTOptions Mae { get; init; } = new()
    {
        ImageSize = 64, PatchSize = 8, EmbedDim = 96, Depth = 4, NumHeads = 4,
        DecoderEmbedDim = 64, DecoderDepth = 2, DecoderNumHeads = 4,
    };

    /// <summary>Stage 1: MAE pre-training on every <see cref="PretrainFrameStride"/>-th frame of the training videos.</summary>
    public OptimizationOptions Pretraining { get; init; } = new() { LearningRate = 1.5e-3, Epochs = 40, WarmupEpochs = 1, BatchSize = 64, WeightDecay = 0.05, Beta2 = 0.95 };

    /// <summary>Use every k-th frame for pre-training (consecutive frames are near duplicates).</summary>
    public int PretrainFrameStride { get; init; } = 4;

    /// <summary>Stage 2: expression fine-tuning on every <see cref="FinetuneFrameStride"/>-th labelled frame.</summary>
    public OptimizationOptions FineTuning { get; init; } = new() { LearningRate = 1e-3, Epochs = 12, WarmupEpochs = 1, BatchSize = 64, WeightDecay = 0.05 };

    /// <summary>Use every k-th labelled frame for fine-tuning.</summary>
    public int FinetuneFrameStride { get; init; } = 3;

    /// <summary>Stage 3: the temporal model (the paper's lr 3e-5 is for 768-d features and far more data).</summary>
    public OptimizationOptions Temporal { get; init; } = new() { LearningRate = 5e-4, Epochs = 30, WarmupEpochs = 1, BatchSize = 8, WeightDecay = 1e-5 };

    /// <summary>Window length w (paper: 300).</summary>
    public int WindowLength { get; init; } = 100;

    /// <summary>Stride s (paper: 200).</summary>
    public int Stride { get; init; } = 25;

    /// <summary>Hidden width of the TCN, the transformer and the heads.</summary>
    public int TemporalWidth { get; init; } = 64;

    /// <summary>Frames an encoder call during extraction.</summary>
    public int ExtractionBatchSize { get; init; } = 128;

    /// <summary>Seed of every stage.</summary>
    public int Seed { get; init; }

    /// <summary>The temporal model for features of <paramref name="featureDim"/>, with the ablation switches.</summary>
    public AffectSequenceModelOptions SequenceModel(int featureDim, bool useTcn = true, bool useTransformer = true) => new()
    {
        InputDim = featureDim,
        UseTcn = useTcn,
        UseTransformer = useTransformer,
        Tcn = new TemporalConvNetOptions { InputDim = featureDim, Channels = [TemporalWidth, TemporalWidth], KernelSize = 3, Dropout = 0.3 },
        Transformer = new SegmentTransformerOptions { DModel = TemporalWidth, NumHeads = 4, NumLayers = 2, FeedForwardDim = 2 * TemporalWidth, Dropout = 0.3, MaxLength = WindowLength },
        Heads = new TaskHeadsOptions { InputDim = TemporalWidth, HiddenDim = TemporalWidth, Dropout = 0.3, Tasks = AffectTask.All },
    };

    /// <summary>The demo's settings, with every stage's seed set to <paramref name="seed"/>.</summary>
    public static PipelineSettings Demo(int seed = 0) => new PipelineSettings().WithSeed(seed);

    /// <summary>The paper's sizes: ViT-B/16 at 224, windows of 300 with stride 200, the paper's optimisers.</summary>
    public static PipelineSettings Paper(int seed = 0) => new PipelineSettings
    {
        ImageSize = 224, Mae = MaeViTOptions.Base16Dec512D8, PretrainFrameStride = 1, FinetuneFrameStride = 1,
        Pretraining = OptimizationOptions.Pretraining, FineTuning = OptimizationOptions.FineTuning, Temporal = OptimizationOptions.Temporal,
        WindowLength = 300, Stride = 200, TemporalWidth = 512, ExtractionBatchSize = 64,
    }.WithSeed(seed);

    private PipelineSettings WithSeed(int seed)
    {
        Pretraining.Seed = seed;
        FineTuning.Seed = seed;
        Temporal.Seed = seed;
        return this with { Seed = seed };
    }
}
