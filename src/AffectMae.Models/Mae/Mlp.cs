// Follows timm/layers/mlp.py (Apache-2.0).
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Mae;

/// <summary>Transformer feed-forward layer, fc2(GELU(fc1(x))). Keys: <c>fc1</c>, <c>fc2</c>.</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly GELU act;   // parameter-free, kept as a field so forward names every step
    private readonly Linear fc2;

    /// <summary>Creates the layer D → hidden → D.</summary>
    public Mlp(long dim, long hidden) : base(nameof(Mlp))
    {
        fc1 = Linear(dim, hidden);
        act = GELU();
        fc2 = Linear(hidden, dim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(fc2.call(act.call(fc1.call(x))));
    }
}
