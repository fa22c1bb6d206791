using AffectMae.Models.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Mae;

/// <summary>The steps the MAE and the fine-tuning ViT share: embedding with positions and the run through the blocks.</summary>
internal static class VitStem
{
    /// <summary>Patch tokens plus their positions (the class-token row excluded): [N, L, D].</summary>
    public static Tensor EmbedPatches(PatchEmbed patchEmbed, Tensor posEmbed, Tensor images)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(patchEmbed.call(images) + posEmbed[.., 1..]);
    }

    /// <summary>Prepends the class token plus its position to [N, L', D] tokens: [N, 1 + L', D].</summary>
    public static Tensor PrependClassToken(Tensor clsToken, Tensor posEmbed, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var cls = (clsToken + posEmbed[.., ..1]).expand(tokens.shape[0], -1, -1);
        return scope.MoveToOuter(cat([cls, tokens], 1));
    }

    /// <summary>Runs the blocks in order, releasing each intermediate as soon as the next block has consumed it.</summary>
    public static Tensor RunBlocks(ModuleList<Block> blocks, Tensor x)
    {
        var current = x;
        foreach (var block in blocks)
        {
            var next = block.call(current);
            if (!ReferenceEquals(current, x)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, x) ? x.alias() : current;
    }

    /// <summary>
    /// The global-pool feature LN(mean of the patch tokens), in float32 whatever the blocks ran in: the mean accumulates
    /// in float32 and returns float32, and the norm runs in its own weights' type (float32 under UseInferencePrecision).
    /// </summary>
    /// <param name="norm">The final norm (fc_norm).</param>
    /// <param name="tokens">[N, 1 + L, D], class token first.</param>
    /// <returns>[N, D], float32.</returns>
    public static Tensor GlobalPool(LayerNorm norm, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var pooled = tokens[.., 1..].mean([1L], false, ScalarType.Float32);   // mean of patch tokens  [N, D]
        return scope.MoveToOuter(FinalNorm(norm, pooled));
    }

    /// <summary>The final norm on [N, D] (or [N, L, D]) in its weights' type, returned as float32.</summary>
    public static Tensor FinalNorm(LayerNorm norm, Tensor x)
    {
        using var scope = NewDisposeScope();
        var normed = norm.call(InferenceCasting.As(x, norm.weight!.dtype));
        return scope.MoveToOuter(InferenceCasting.AsFloat32(normed));
    }

    /// <summary>MAE's weight initialisation (models_mae.py <c>_init_weights</c>).</summary>
    public static void InitializeLinearAndNorm(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Linear linear:   // xavier_uniform, following the official JAX ViT
                    nn.init.xavier_uniform_(linear.weight!);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case LayerNorm norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }

    /// <summary>Patch-embedding init: xavier_uniform on the weight viewed as [D, C·p·p], like a Linear layer.</summary>
    public static void InitializePatchEmbed(PatchEmbed patchEmbed)
    {
        using var _ = no_grad();
        var weight = patchEmbed.ProjectionWeight;
        using var flat = weight.view(weight.shape[0], -1);
        nn.init.xavier_uniform_(flat);
    }
}
