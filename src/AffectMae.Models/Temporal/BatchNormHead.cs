// The per-frame head of the authors' released model (upczww/abaw6, no licence: facts only, our own code):
// nn.Sequential(Linear, BatchNorm1d, Linear) over every frame of the batch.
using AffectMae.Core.Options;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// y = W₂ · BN(W₁ x + b₁) + b₂ for every frame, the BatchNorm1d taking its batch statistics over all the real frames of
/// the batch (B·T of them when nothing is padded). Padded frames are kept out of those statistics and out of the running
/// mean and variance; their outputs mean nothing. No activation: the authors' head has none. In evaluation mode the
/// running statistics are used, so each frame's output depends on that frame alone.
/// State-dict keys (as <c>nn.Sequential</c> numbers them): <c>0.{weight,bias}</c>,
/// <c>1.{weight,bias,running_mean,running_var,num_batches_tracked}</c>, <c>2.{weight,bias}</c>.
/// </summary>
public sealed class BatchNormHead : Module<Tensor, Tensor?, Tensor>
{
    [ComponentName(Name = "0")] private readonly Linear fc1;        // D → H
    [ComponentName(Name = "1")] private readonly BatchNorm1d norm;  // over the frames of the batch  [N, H]
    [ComponentName(Name = "2")] private readonly Linear fc2;        // H → outputs
    private readonly BatchNormHeadOptions options;

    /// <summary>Builds the head; move it to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes, copied; checked by <see cref="BatchNormHeadOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public BatchNormHead(BatchNormHeadOptions options) : base(nameof(BatchNormHead))
    {
        OptionsValidation.ThrowIfInvalid(new BatchNormHeadOptionsValidator(), options, nameof(options));
        this.options = OptionsValidation.Copy(options);
        fc1 = Linear(options.InputDim, options.HiddenDim);
        norm = BatchNorm1d(options.HiddenDim, eps: options.Eps, momentum: options.Momentum);
        fc2 = Linear(options.HiddenDim, options.OutputDim);
        RegisterComponents();
    }

    /// <summary>A copy of the sizes this head was built with.</summary>
    public BatchNormHeadOptions Options => OptionsValidation.Copy(options);

    /// <summary>Width D of the tokens the head reads.</summary>
    public int InputDim => options.InputDim;

    /// <summary>Outputs a frame.</summary>
    public int OutputDim => options.OutputDim;

    /// <summary>Predicts every frame of a batch of windows.</summary>
    /// <param name="x">Frame tokens [B, T, D].</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>[B, T, outputs]; rows of padded frames mean nothing.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit, or a training batch has fewer than 2 real frames.</exception>
    public override Tensor forward(Tensor x, Tensor? valid)
    {
        SequenceChecks.CheckFrames(x, valid, InputDim, "BatchNormHeadOptions.InputDim");
        using var scope = NewDisposeScope();
        long batch = x.shape[0], frames = x.shape[1];
        var h = fc1.call(x.flatten(0, 1));                                      // h = W₁ x + b₁, frames batch-major  [B·T, H]
        if (training && valid is not null)
        {
            var rows = valid.flatten().nonzero().squeeze(1);                    // the real frames  [N]
            if (rows.shape[0] < 2)
                throw new ArgumentException($"The training batch holds {rows.shape[0]} real frame(s); BatchNorm needs at least 2 to estimate a variance. Use larger batches or windows.", nameof(valid));
            h = zeros_like(h).index_copy(0, rows, norm.call(h.index_select(0, rows)));   // BN over real frames only  [B·T, H]
        }
        else
        {
            h = norm.call(h);                                                   // BN (batch or running statistics)  [B·T, H]
        }
        return scope.MoveToOuter(fc2.call(h).reshape(batch, frames, -1));       // y = W₂ h + b₂  [B, T, outputs]
    }
}
