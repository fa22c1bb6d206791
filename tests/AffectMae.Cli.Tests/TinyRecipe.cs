// A recipe small enough for tests: 32×32 frames, a one-block ViT, windows of 20, 16-wide temporal models (ours and the
// authors'), a few epochs.
using AffectMae.Core.Segmentation;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;

namespace AffectMae.Cli.Tests;

internal static class TinyRecipe
{
    public static AffectMaeRecipe Create(int seed)
    {
        var recipe = AffectMaeRecipe.Demo;
        recipe.Name = "tiny";
        recipe.Mae = new MaeViTOptions { ImageSize = 32, PatchSize = 8, EmbedDim = 32, Depth = 1, NumHeads = 2, DecoderEmbedDim = 16, DecoderDepth = 1, DecoderNumHeads = 2 };
        recipe.Sampling = new FrameSamplingOptions { PretrainStride = 2, FineTuneStride = 2 };
        recipe.Segmentation = new SegmentationOptions { WindowLength = 20, Stride = 10 };
        recipe.SequenceModel = new AffectSequenceModelOptions
        {
            InputDim = 32,
            Tcn = new TemporalConvNetOptions { InputDim = 32, Channels = [16, 16], KernelSize = 3, Dropout = 0.3 },
            Transformer = new SegmentTransformerOptions { DModel = 16, NumHeads = 4, NumLayers = 2, FeedForwardDim = 32, Dropout = 0.3, MaxLength = 20 },
            Heads = new TaskHeadsOptions { InputDim = 16, HiddenDim = 16, Dropout = 0.3 },
        };
        recipe.Optimization = new OptimizationBlocks
        {
            Pretraining = new OptimizationOptions { LearningRate = 2e-3, Epochs = 1, WarmupEpochs = 0, BatchSize = 32 },
            FineTuning = new OptimizationOptions { LearningRate = 2e-3, Epochs = 1, WarmupEpochs = 0, BatchSize = 32 },
            Temporal = new OptimizationOptions { LearningRate = 3e-3, Epochs = 4, WarmupEpochs = 1, BatchSize = 4 },
        };
        recipe.AuthorsTemporal.Tcn = new CausalTemporalConvNetOptions { InputDim = 32, Channels = [16, 16], KernelSize = 3 };
        recipe.AuthorsTemporal.Transformer = new ProjectedSegmentTransformerOptions { InputDim = 16, DModel = 16, NumHeads = 4, NumLayers = 1, FeedForwardDim = 32 };
        recipe.AuthorsTemporal.HeadHiddenDim = 8;
        recipe.AuthorsTemporal.Segmentation = new SegmentationOptions { WindowLength = 20, Stride = 10, Tail = WindowTail.Drop };
        foreach (var block in recipe.AuthorsTemporal.Optimization.Stages())
            (block.LearningRate, block.Epochs, block.WarmupEpochs, block.BatchSize) = (3e-3, 2, 1, 4);
        return recipe.WithSeed(seed);
    }
}
