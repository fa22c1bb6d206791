// Paper §3.4: the per-task prediction head on top of the temporal encoder.
// Same layout as timm's layers/mlp.py Mlp (Apache License 2.0): fc1 → activation → dropout → fc2.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>A two-layer perceptron y = fc2(dropout(ReLU(fc1(x)))). State-dict keys: <c>fc1.*</c>, <c>fc2.*</c>.</summary>
public sealed class HeadMlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1;        // D → H
    private readonly Dropout dropout;   // parameter-free, but a field so train()/eval() reach it
    private readonly Linear fc2;        // H → outputs

    /// <summary>Creates a head.</summary>
    /// <param name="inputDim">Input width D.</param>
    /// <param name="hiddenDim">Hidden width H.</param>
    /// <param name="outputDim">Number of outputs.</param>
    /// <param name="dropout">Dropout probability on the hidden layer.</param>
    public HeadMlp(int inputDim, int hiddenDim, int outputDim, double dropout) : base(nameof(HeadMlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputDim);
        fc1 = Linear(inputDim, hiddenDim);
        this.dropout = Dropout(dropout);
        fc2 = Linear(hiddenDim, outputDim);
        RegisterComponents();
    }

    /// <summary>The element type of the weights.</summary>
    internal ScalarType ComputeType => fc1.weight!.dtype;

    /// <summary>Applies the head to every frame.</summary>
    /// <param name="x">[…, D].</param>
    /// <returns>[…, outputs].</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = dropout.call(functional.relu(fc1.call(x)));   // h = drop(ReLU(W1 x + b1))  [..., H]
        return scope.MoveToOuter(fc2.call(h));                 // y = W2 h + b2  [..., outputs]
    }
}
