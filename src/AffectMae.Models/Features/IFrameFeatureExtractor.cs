using static TorchSharp.torch;

namespace AffectMae.Models.Features;

/// <summary>A frame encoder: one feature vector an image (paper §3.3). <c>MaeClassifier</c> and <c>MaeViT</c> are ones.</summary>
public interface IFrameFeatureExtractor
{
    /// <summary>Feature size D.</summary>
    int FeatureDim { get; }

    /// <summary>Features of a batch of normalised images: [B, C, H, W] → [B, D]. The caller runs it without gradients.</summary>
    Tensor ExtractFeatures(Tensor images);
}
