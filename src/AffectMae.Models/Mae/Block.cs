// Follows timm/models/vision_transformer.py Block (Apache-2.0), as used by facebookresearch/mae models_mae.py.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Mae;

/// <summary>Pre-norm Transformer block. Keys: <c>norm1</c>, <c>attn.qkv</c>, <c>attn.proj</c>, <c>norm2</c>, <c>mlp.fc1</c>, <c>mlp.fc2</c>.</summary>
public sealed class Block : Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    /// <summary>Creates a block of width <paramref name="dim"/>.</summary>
    public Block(long dim, long numHeads, double mlpRatio, double layerNormEps) : base(nameof(Block))
    {
        norm1 = LayerNorm(dim, layerNormEps);
        attn = new Attention(dim, numHeads);
        norm2 = LayerNorm(dim, layerNormEps);
        mlp = new Mlp(dim, (long)(dim * mlpRatio));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x + attn.call(norm1.call(x));                    // y = x + MSA(LN(x))     [N, L, D]
        return scope.MoveToOuter(y + mlp.call(norm2.call(y)));   // z = y + MLP(LN(y))     [N, L, D]
    }
}
