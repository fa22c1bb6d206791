// An experiment, not library code: TorchSharp 0.107's AdamW with one dispose scope per parameter instead of one for
// the whole step. The arithmetic is that of TorchSharp's AdamW.step (src/TorchSharp/Optimizers/AdamW.cs, MIT License,
// .NET Foundation), so results are identical; only the lifetime of the temporaries changes.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

/// <summary>
/// AdamW whose per-parameter temporaries (√v̂ and the denominator) are freed before the next parameter is updated.
/// </summary>
/// <remarks>
/// TorchSharp's <c>OptimizerHelper._step</c> opens ONE dispose scope around the update of every parameter of every
/// group, and <c>AdamW.step</c> computes <c>denom = (exp_avg_sq.sqrt() / √bc2).add_(eps)</c> for each parameter: two
/// parameter-sized tensors that stay alive until the last parameter is done. The step therefore holds twice the model's
/// size in temporaries at its end (ViT-B MAE: 2 × 447 MB); PyTorch frees them parameter by parameter. Here each
/// parameter gets its own scope and the division is done in place, so at most one parameter-sized temporary exists.
/// State, options, checkpoints (<see cref="AdamW.State"/>) are those of the base class.
/// </remarks>
internal sealed class ScopedAdamW : AdamW
{
    /// <summary>Same arguments as <see cref="AdamW"/>.</summary>
    public ScopedAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double weightDecay)
        : base(groups, lr, beta1, beta2, weight_decay: weightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
        {
            using (enable_grad()) loss = closure();
        }
        using var _ = no_grad();
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
            double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
            bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
            foreach (var param in group.Parameters)
            {
                using var scope = NewDisposeScope();                  // this parameter's temporaries only
                var state = (State)_state[param.Handle];
                var grad = param.grad;
                if (grad is null) continue;
                if (maximize) grad = -grad;

                state.step += 1;
                param.mul_(1 - lr * weightDecay);
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);
                state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
                Tensor denom;
                if (amsgrad)
                {
                    var previous = state.max_exp_avg_sq;
                    state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                    previous.Dispose();
                    denom = state.max_exp_avg_sq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);
                }
                else
                {
                    denom = state.exp_avg_sq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);   // one temporary, in place after
                }
                param.addcdiv_(state.exp_avg, denom, value: -lr / biasCorrection1);
            }
        }
        return loss!;
    }
}
