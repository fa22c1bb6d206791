// Follows timm/layers/patch_embed.py (Apache-2.0): a Conv2d whose kernel and stride equal the patch size.
using AffectMae.Models.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Mae;

/// <summary>Image to patch tokens: [N, C, H, W] → [N, L, D] with L = (H/p)·(W/p). Key: <c>proj</c>.</summary>
public sealed class PatchEmbed : Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    /// <summary>Creates the patch embedding.</summary>
    /// <param name="imageSize">Square input side in pixels.</param>
    /// <param name="patchSize">Square patch side p; must divide <paramref name="imageSize"/>.</param>
    /// <param name="inChannels">Input channels C.</param>
    /// <param name="embedDim">Token width D.</param>
    public PatchEmbed(int imageSize, int patchSize, int inChannels, int embedDim) : base(nameof(PatchEmbed))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        if (imageSize % patchSize != 0)
            throw new ArgumentException($"Image size {imageSize} is not a multiple of patch size {patchSize}.", nameof(patchSize));
        ImageSize = imageSize;
        PatchSize = patchSize;
        InChannels = inChannels;
        GridSize = imageSize / patchSize;
        proj = Conv2d(inChannels, embedDim, kernel_size: patchSize, stride: patchSize);
        RegisterComponents();
    }

    /// <summary>Expected input side in pixels.</summary>
    public int ImageSize { get; }

    /// <summary>Patch side p.</summary>
    public int PatchSize { get; }

    /// <summary>Expected input channels.</summary>
    public int InChannels { get; }

    /// <summary>Patches along one side, ImageSize / p.</summary>
    public int GridSize { get; }

    /// <summary>Number of patches L = GridSize².</summary>
    public int PatchCount => GridSize * GridSize;

    /// <summary>The convolution weight [D, C, p, p], for initialisation.</summary>
    internal Tensor ProjectionWeight => proj.weight!;

    /// <summary>The element type the encoder computes in: that of its weights (see <c>UseInferencePrecision</c>).</summary>
    internal ScalarType ComputeType => proj.weight!.dtype;

    /// <summary>The device the weights are on.</summary>
    internal Device Device => proj.weight!.device;

    /// <summary>Embeds images of any floating type; they are cast to the weights' type (<see cref="ComputeType"/>).</summary>
    public override Tensor forward(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != InChannels || images.shape[2] != ImageSize || images.shape[3] != ImageSize)
            throw new ArgumentException(
                $"Expected images of shape [N, {InChannels}, {ImageSize}, {ImageSize}]; got [{string.Join(", ", images.shape)}]. "
                + "Resize the frames to the model's ImageSize or build the model with the frames' size.", nameof(images));
        using var scope = NewDisposeScope();
        var x = InferenceCasting.As(images, ComputeType);
        return scope.MoveToOuter(proj.call(x).flatten(2).transpose(1, 2));   // [N, D, h, w] → [N, L, D]
    }
}
