using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AffectMae's options, bound from configuration, validated at start-up.</summary>
public static class AffectMaeServiceCollectionExtensions
{
    /// <summary>The configuration section every AffectMae setting lives under.</summary>
    public const string SectionName = "AffectMae";

    /// <summary>
    /// Registers the <see cref="AffectMaeRecipe"/> bound from <c>AffectMae:Recipe</c> (<c>Preset</c>, default
    /// <c>paper</c>, then any setting by its JSON name, e.g. <c>AffectMae:Recipe:Mae:Depth</c>), and every options
    /// class the recipe is made of as <see cref="IOptions{TOptions}"/> read from it — <see cref="SegmentationOptions"/>,
    /// <see cref="MaeViTOptions"/>, <see cref="MaeClassifierOptions"/>, <see cref="FaceCropOptions"/>, <see cref="NormalizationOptions"/>,
    /// <see cref="ClassifierHeadOptions"/>, <see cref="FrameSamplingOptions"/>, <see cref="AffectSequenceModelOptions"/>,
    /// <see cref="TemporalConvNetOptions"/>, <see cref="SegmentTransformerOptions"/>, <see cref="TaskHeadsOptions"/>,
    /// <see cref="InferenceOptions"/>, <see cref="AuthorsTemporalOptions"/> (the authors' temporal stage) with its
    /// <see cref="CausalTemporalConvNetOptions"/> and <see cref="ProjectedSegmentTransformerOptions"/>, the named
    /// <see cref="AuthorsTemporalModelOptions"/> and <see cref="BatchNormHeadOptions"/> of each task (<c>ValenceArousal</c>,
    /// <c>Expression</c>, <c>ActionUnits</c>), and the named <see cref="OptimizationOptions"/> <c>Pretraining</c>,
    /// <c>FineTuning</c>, <c>Temporal</c> (read them with <c>IOptionsMonitor&lt;OptimizationOptions&gt;.Get(name)</c>) —
    /// so one setting has one place. <see cref="DataLoaderOptions"/> bind from <c>AffectMae:DataLoader</c> and
    /// <see cref="AffectRecognizerOptions"/> from <c>AffectMae:Recognizer</c>, <see cref="FeatureExtractionOptions"/> from
    /// <c>AffectMae:Extraction</c>. Everything is validated when the host
    /// starts, so a bad setting stops the application with a message naming it.
    /// </summary>
    public static IServiceCollection AddAffectMae(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var root = configuration.GetSection(SectionName);
        var recipeSection = root.GetSection(AffectMaeRecipe.SectionName);

        // The recipe as configured, unchecked: the parts read it, so each part is checked (and fails) on its own.
        services.AddSingleton(_ => new ConfiguredRecipe(RecipeJson.FromConfiguration(recipeSection, validate: false)));
        services.AddOptions<AffectMaeRecipe>()
            .Configure<ConfiguredRecipe>((recipe, configured) => CopyProperties(configured.Recipe, recipe))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AffectMaeRecipe>, AffectMaeRecipeValidator>();

        Part(services, r => r.Segmentation, new SegmentationOptionsValidator());
        Part(services, r => r.Mae, new MaeViTOptionsValidator());
        Part(services, r => r.ClassifierOptions(), new MaeClassifierOptionsValidator());
        Part(services, r => r.FaceCrop, new FaceCropOptionsValidator());
        Part(services, r => r.Normalization, new NormalizationOptionsValidator());
        Part(services, r => r.Classifier, new AnnotationsValidator<ClassifierHeadOptions>());
        Part(services, r => r.Sampling, new AnnotationsValidator<FrameSamplingOptions>());
        Part(services, r => r.SequenceModel, new AffectSequenceModelOptionsValidator());
        Part(services, r => r.SequenceModel.Tcn, new TemporalConvNetOptionsValidator());
        Part(services, r => r.SequenceModel.Transformer, new SegmentTransformerOptionsValidator());
        Part(services, r => r.SequenceModel.Heads, new TaskHeadsOptionsValidator());
        Part(services, r => r.Inference, new InferenceOptionsValidator());
        Part(services, r => r.AuthorsTemporal, new AuthorsTemporalOptionsValidator());
        Part(services, r => r.AuthorsTemporal.Tcn, new CausalTemporalConvNetOptionsValidator());
        Part(services, r => r.AuthorsTemporal.Transformer, new ProjectedSegmentTransformerOptionsValidator());
        foreach (var task in AffectTasks.Each)
        {
            // The authors' model is one model a task: named options, read with IOptionsMonitor<T>.Get(task.ToString()).
            NamedPart(services, task.ToString(), r => r.AuthorsTemporal.ModelFor(task), new AuthorsTemporalModelOptionsValidator());
            NamedPart(services, task.ToString(), r => r.AuthorsTemporal.ModelFor(task).Head, new BatchNormHeadOptionsValidator());
        }
        foreach (string name in OptimizationBlocks.Names)
            NamedPart(services, name, r => r.Optimization[name], new OptimizationOptionsValidator());

        Bind<DataLoaderOptions>(services, root.GetSection(DataLoaderOptions.SectionName), new DataLoaderOptionsValidator());
        Bind<AffectRecognizerOptions>(services, root.GetSection(AffectRecognizerOptions.SectionName), new AffectRecognizerOptionsValidator());
        Bind<FeatureExtractionOptions>(services, root.GetSection(FeatureExtractionOptions.SectionName), new AnnotationsValidator<FeatureExtractionOptions>());
        return services;
    }

    // A part of the recipe, read from it; checked when read (the recipe's start-up check covers it too).
    private static void Part<TOptions>(IServiceCollection services, Func<AffectMaeRecipe, TOptions> part, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Configure<ConfiguredRecipe>((options, configured) => CopyProperties(part(configured.Recipe), options));
        services.AddSingleton(validator);
    }

    private static void NamedPart<TOptions>(IServiceCollection services, string name, Func<AffectMaeRecipe, TOptions> part, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        services.AddOptions<TOptions>(name).Configure<ConfiguredRecipe>((options, configured) => CopyProperties(part(configured.Recipe), options));
        services.AddSingleton<IValidateOptions<TOptions>>(new NamedValidator<TOptions>(name, validator));
    }

    private static void Bind<TOptions>(IServiceCollection services, IConfigurationSection section, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton(validator);
    }

    // Options types are plain property bags; the recipe's values replace the constructor's defaults (a deep copy, so
    // nothing an application changes in one instance reaches the recipe).
    private static void CopyProperties<T>(T source, T destination)
        where T : class
    {
        var copy = OptionsValidation.Copy(source);
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
            property.SetValue(destination, property.GetValue(copy));
    }

    private sealed class NamedValidator<TOptions>(string name, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options) =>
            optionsName == name ? inner.Validate(optionsName, options) : ValidateOptionsResult.Skip;
    }

    // The recipe bound from configuration, before any check.
    private sealed record ConfiguredRecipe(AffectMaeRecipe Recipe);
}
