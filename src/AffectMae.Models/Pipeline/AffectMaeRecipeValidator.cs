using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// Checks an <see cref="AffectMaeRecipe"/>: every part by its own validator (messages prefixed with where the part
/// sits, e.g. <c>Recipe.Mae:</c>), then the rules that join parts — both temporal models read the encoder's features,
/// our positional table covers a window, every stage (the authors' models' too) runs with the recipe's seed.
/// </summary>
public sealed class AffectMaeRecipeValidator : IValidateOptions<AffectMaeRecipe>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AffectMaeRecipe options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (string.IsNullOrWhiteSpace(options.Name))
            failures.Add("Recipe.Name must be set: it names the recipe in model manifests and reports.");
        failures.AddRange(OptionsValidation.NestedFailures(new FaceCropOptionsValidator(), options.FaceCrop, "Recipe.FaceCrop"));
        failures.AddRange(OptionsValidation.NestedFailures(new NormalizationOptionsValidator(), options.Normalization, "Recipe.Normalization"));
        failures.AddRange(OptionsValidation.NestedFailures(new MaeViTOptionsValidator(), options.Mae, "Recipe.Mae"));
        failures.AddRange(OptionsValidation.NestedFailures(new AnnotationsValidator<ClassifierHeadOptions>(), options.Classifier, "Recipe.Classifier"));
        failures.AddRange(OptionsValidation.NestedFailures(new AnnotationsValidator<FrameSamplingOptions>(), options.Sampling, "Recipe.Sampling"));
        failures.AddRange(OptionsValidation.NestedFailures(new SegmentationOptionsValidator(), options.Segmentation, "Recipe.Segmentation"));
        failures.AddRange(OptionsValidation.NestedFailures(new AffectSequenceModelOptionsValidator(), options.SequenceModel, "Recipe.SequenceModel"));
        failures.AddRange(OptionsValidation.NestedFailures(new InferenceOptionsValidator(), options.Inference, "Recipe.Inference"));
        failures.AddRange(OptionsValidation.NestedFailures(new AuthorsTemporalOptionsValidator(), options.AuthorsTemporal, "Recipe.AuthorsTemporal"));
        if (options.Optimization is null)
            failures.Add("Recipe.Optimization must be set (Pretraining, FineTuning, Temporal).");
        else
        {
            foreach (string block in OptimizationBlocks.Names)
                failures.AddRange(OptionsValidation.NestedFailures(new OptimizationOptionsValidator(), options.Optimization[block], $"Recipe.Optimization.{block}"));
        }
        if (failures.Count > 0)
            return OptionsValidation.ToResult(failures);

        if (options.SequenceModel.InputDim != options.Mae.EmbedDim)
            failures.Add($"Recipe.SequenceModel.InputDim is {options.SequenceModel.InputDim} but the encoder's features are Recipe.Mae.EmbedDim = {options.Mae.EmbedDim} wide: "
                + $"set SequenceModel.InputDim and SequenceModel.Tcn.InputDim to {options.Mae.EmbedDim}.");
        if (options.SequenceModel.Transformer.MaxLength < options.Segmentation.WindowLength)
            failures.Add($"Recipe.SequenceModel.Transformer.MaxLength ({options.SequenceModel.Transformer.MaxLength}) is shorter than a window "
                + $"(Recipe.Segmentation.WindowLength = {options.Segmentation.WindowLength}): raise MaxLength to at least {options.Segmentation.WindowLength}.");
        if (options.AuthorsTemporal.Tcn.InputDim != options.Mae.EmbedDim)
            failures.Add($"Recipe.AuthorsTemporal.Tcn.InputDim is {options.AuthorsTemporal.Tcn.InputDim} but the encoder's features are Recipe.Mae.EmbedDim = {options.Mae.EmbedDim} wide: "
                + $"set AuthorsTemporal.Tcn.InputDim to {options.Mae.EmbedDim}.");
        var blocks = OptimizationBlocks.Names.Select(block => ($"Optimization.{block}", options.Optimization![block]))
            .Concat(AffectTasks.Each.Select(task => ($"AuthorsTemporal.Optimization.{task}", options.AuthorsTemporal.Optimization[task])));
        foreach (var (block, stage) in blocks)
        {
            if (stage.Seed != options.Seed)
                failures.Add($"Recipe.{block}.Seed is {stage.Seed} but Recipe.Seed is {options.Seed}: every stage runs with the recipe's seed; "
                    + "set Recipe.Seed (AffectMaeRecipe.WithSeed) and leave the stages' Seed out.");
        }
        return OptionsValidation.ToResult(failures);
    }
}
