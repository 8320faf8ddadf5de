"""The fake MakeShop's GraphQL schema, written from ``shared/platforms/makeshop/notes.md`` §3.

MakeShop's own schema reference could not be read (notes §10.1), so this holds
the types and fields that working clients use, and nothing invented beyond the
response's ``limit`` (its sibling ``SearchProductResponse`` has one, §3.1).
Nullability is a guess: only ids, counts and lists are non-null. Everything a
client selects that is not here is an unknown field, answered with HTTP 422.
"""

from __future__ import annotations

from functools import cache

from graphql import GraphQLSchema, build_schema

__all__ = ["SDL", "schema"]

SDL = """
enum SortOrder { ASC DESC }

input SearchOrderRequest {
  startOrderDate: String
  endOrderDate: String
  startPaymentDate: String
  endPaymentDate: String
  deliveryStatus: String
  sortOrder: SortOrder
  page: Int
  limit: Int
}

input SearchMemberRequest {
  page: Int
  limit: Int
}

type DiscountPerTax {
  taxRate: Int!
  discount: Int!
}

type CustomSelect {
  customSelectName: String
  selectedItemName: String
}

type BasketInfo {
  productCode: String
  productCustomCode: String
  variationCustomCode: String
  productName: String
  variationName: String
  customSelects: [CustomSelect!]
  amount: Int
  price: Int
  janCode: String
}

type DeliveryInfo {
  deliveryId: String!
  deliveryStatus: String
  receiverName: String
  receiverPost: String
  receiverPrefecture: String
  receiverAddress: String
  receiverAddress2: String
  receiverTel: String
  desiredDeliveryDate: String
  desiredDeliveryTimezone: String
  deliveryMethodIds: String
  shippingCharge: Int
  deliverySumPrice: Int
  deliveryMessage: String
  wmsStatus: String
  slipNumber: String
  deliveryDate: String
  estimatedShipmentDate: String
  basketInfos: [BasketInfo!]!
}

type SearchedOrder {
  systemOrderNumber: String!
  displayOrderNumber: String!
  orderDate: String!
  memberId: String
  sumPrice: Int
  paymentStatusCode: String
  payMethod: String
  message: String
  senderName: String
  senderPrefecture: String
  discountPerTax: [DiscountPerTax!]
  deliveryInfos: [DeliveryInfo!]!
}

type SearchOrderResponse {
  searchedCount: Int!
  page: Int!
  limit: Int!
  orders: [SearchedOrder!]!
}

type Member {
  memberId: String!
  name: String
  nameKana: String
  email: String
  tel: String
  etcphone: String
  hpost: String
  haddress1: String
  haddressAddr: String
  haddress2: String
  haddress: String
  groupId: String
  groupName: String
  shopPoint: Int
  registrationDate: String
  etc: [String]
}

type SearchMemberResponse {
  searchedCount: Int!
  page: Int!
  limit: Int!
  members: [Member!]!
}

type Shop {
  shopName: String
  shopUrl: String
  settingOriginalDomain: String
  openCondition: String
}

type GetShopResponse {
  shop: Shop
}

type Query {
  getShop: GetShopResponse
  searchOrder(input: SearchOrderRequest!): SearchOrderResponse
  searchMember(input: SearchMemberRequest!): SearchMemberResponse
}
"""


@cache
def schema() -> GraphQLSchema:
    """The schema, built once per process (building it takes milliseconds, not nothing)."""
    return build_schema(SDL)
