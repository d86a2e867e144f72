// The SDK's side of the contract, imported as types only so nothing of the core is bundled.
export type {
  DeliveredExperience,
  MountedWidget,
  Properties,
  WidgetHost,
} from "../../sdk/js/src/widget-host";
