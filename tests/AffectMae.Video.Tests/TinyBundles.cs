// Tiny encoder and temporal bundles with seeded random weights: a one-block ViT on 32×32 frames (64-wide features)
// and a 16-wide temporal model over windows of 8, stride 4. Their numbers mean nothing; they are real models that the
// recognizer loads and runs, so outputs can be compared bit for bit.
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Video.Tests;

public static class TinyBundles
{
    /// <summary>Saves the two bundles under <paramref name="folder"/>; the encoder's manifest carries <paramref name="faceCrop"/>.</summary>
    public static (string Encoder, string Temporal) Save(string folder, FaceCropOptions? faceCrop, int seed = 1)
    {
        manual_seed(seed);
        using var classifier = new MaeClassifier(MaeClassifierOptions.Tiny);
        string encoder = Path.Combine(folder, "encoder");
        var manifest = EncoderBundle.Save(encoder, classifier, new NormalizationOptions(), "tiny", faceCrop);
        int width = classifier.FeatureDim;
        using var temporal = new AffectSequenceModel(new AffectSequenceModelOptions
        {
            InputDim = width,
            Tcn = new TemporalConvNetOptions { InputDim = width, Channels = [16, 16], KernelSize = 3, Dropout = 0.1 },
            Transformer = new SegmentTransformerOptions { DModel = 16, NumHeads = 4, NumLayers = 1, FeedForwardDim = 32, Dropout = 0.1, MaxLength = 8 },
            Heads = new TaskHeadsOptions { InputDim = 16, HiddenDim = 8, Dropout = 0.1 },
        });
        string temporalFolder = Path.Combine(folder, "temporal");
        TemporalBundle.Save(temporalFolder, temporal, new SegmentationOptions { WindowLength = 8, Stride = 4 }, "tiny", manifest.WeightsSha256);
        return (encoder, temporalFolder);
    }
}
