using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Binds yes/no fields (check boxes). A value a check box cannot send ("maybe", a script tag) is refused with a
/// message, and the field is kept as "false" in the form's state: MVC's check-box helper converts the state's value
/// to a bool when the form is shown again, and would fail on the text instead of showing the message.
/// </summary>
public sealed class CheckBoxBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext context)
    {
        var posted = context.ValueProvider.GetValue(context.ModelName);
        if (posted == ValueProviderResult.None) return Task.CompletedTask;

        if (bool.TryParse(posted.FirstValue, out var value))
        {
            context.ModelState.SetModelValue(context.ModelName, posted);
            context.Result = ModelBindingResult.Success(value);
            return Task.CompletedTask;
        }
        context.ModelState.SetModelValue(context.ModelName, new ValueProviderResult(bool.FalseString));
        context.ModelState.TryAddModelError(context.ModelName, $"{context.ModelMetadata.GetDisplayName()} must be ticked or left empty.");
        context.Result = ModelBindingResult.Failed();
        return Task.CompletedTask;
    }
}

public sealed class CheckBoxBinderProvider : IModelBinderProvider
{
    private static readonly CheckBoxBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) => context.Metadata.ModelType == typeof(bool) ? Binder : null;
}
